/**
 * The dashboard's place in the console. The schema has no reporting queries yet (funnel counts, first
 * response times, bot versus recruiter share over a date range), so this page says so rather than
 * estimate figures from the inbox.
 */
export function DashboardPage() {
  return (
    <main className="dashboard" aria-labelledby="dashboard-title">
      <h1 id="dashboard-title">Dashboard</h1>
      <p className="notice notice--info">
        Reporting is not available yet: the funnel (new → form sent → form submitted → photos → in review → accepted), the median first-response
        time and the bot versus recruiter share need reporting queries that the API does not offer so far.
      </p>
    </main>
  );
}
