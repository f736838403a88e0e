import { skipToken, useQuery } from '@apollo/client/react';
import { useId, useState } from 'react';
import { ErrorNotice } from '../../../components/ErrorNotice.tsx';
import type { DashboardQuery } from '../../../generated/operations.ts';
import { DASHBOARD } from '../api/dashboard.ts';
import { type DayRange, defaultRange, funnelStageLabels, percent, percentOf, responseTimeText, toQueryRange } from '../lib/figures.ts';
import '../dashboard.css';

type Figures = DashboardQuery['dashboard'];

/**
 * Funnel, first-response times and bot versus recruiter share over a range of days, counting only the
 * aspirants the signed-in recruiter may see (all of them for admins).
 */
export function DashboardPage() {
  const [range, setRange] = useState<DayRange>(() => defaultRange(new Date()));
  const queryRange = toQueryRange(range);
  const problem = 'problem' in queryRange ? queryRange.problem : null;
  const { data, previousData, error, loading } = useQuery(
    DASHBOARD,
    'problem' in queryRange ? skipToken : { variables: { range: queryRange }, fetchPolicy: 'cache-and-network' },
  );
  // The previous range's figures stay on screen, marked busy, until the new ones arrive; none while the range
  // cannot be asked for.
  const figures = problem === null ? (data ?? previousData)?.dashboard : undefined;

  return (
    <main className="dashboard" aria-labelledby="dashboard-title" aria-busy={loading}>
      <h1 id="dashboard-title">Dashboard</h1>
      <RangePicker range={range} onChange={setRange} problem={problem} />
      {error && <ErrorNotice error={error} />}
      {figures === undefined ? (
        !error && problem === null && <p>Loading…</p>
      ) : (
        <>
          <Funnel funnel={figures.funnel} />
          <div className="dashboard__row">
            <ResponseTimes figures={figures} />
            <AuthorShare figures={figures} />
          </div>
        </>
      )}
    </main>
  );
}

function RangePicker({ range, onChange, problem }: { range: DayRange; onChange: (range: DayRange) => void; problem: string | null }) {
  const hintId = useId();
  return (
    <form className="dashboard__range" aria-label="Date range" onSubmit={(event) => event.preventDefault()}>
      <label className="field">
        <span className="field__label">From</span>
        <input
          type="date"
          value={range.from}
          max={range.through}
          aria-describedby={hintId}
          onChange={(event) => onChange({ ...range, from: event.target.value })}
        />
      </label>
      <label className="field">
        <span className="field__label">Through</span>
        <input
          type="date"
          value={range.through}
          min={range.from}
          aria-describedby={hintId}
          onChange={(event) => onChange({ ...range, through: event.target.value })}
        />
      </label>
      <p id={hintId} className="dashboard__hint">
        Both days included, in the agency&apos;s time zone. The funnel follows the aspirants who first wrote in these days.
      </p>
      {problem && (
        <p className="notice notice--warning" role="alert">
          {problem}
        </p>
      )}
    </form>
  );
}

/**
 * One bar per stage, as wide as its share of the new aspirants. The bars are drawing only: each stage's
 * count and share are its text, and the table below gives the same figures with the step-by-step rates.
 */
function Funnel({ funnel }: { funnel: Figures['funnel'] }) {
  const newAspirants = funnel[0]?.aspirants ?? 0;
  return (
    <section className="dashboard__section" aria-labelledby="funnel-title">
      <h2 id="funnel-title">Funnel</h2>
      <ol className="funnel">
        {funnel.map((stage) => (
          <li key={stage.stage} className="funnel__stage">
            <span className="funnel__label">{funnelStageLabels[stage.stage]}</span>
            <span className="funnel__track" aria-hidden="true">
              <span className="funnel__bar" style={{ width: newAspirants === 0 ? 0 : `${(stage.aspirants / newAspirants) * 100}%` }} />
            </span>
            <span className="funnel__figure">
              <strong>{stage.aspirants}</strong> ({percentOf(stage.aspirants, newAspirants)} of new)
            </span>
          </li>
        ))}
      </ol>
      <details className="dashboard__details">
        <summary>Funnel as a table</summary>
        <table className="table">
          <thead>
            <tr>
              <th scope="col">Stage</th>
              <th scope="col">Aspirants</th>
              <th scope="col">Of new</th>
              <th scope="col">Of previous stage</th>
            </tr>
          </thead>
          <tbody>
            {funnel.map((stage, index) => (
              <tr key={stage.stage} data-stage={stage.stage}>
                <th scope="row">{funnelStageLabels[stage.stage]}</th>
                <td>{stage.aspirants}</td>
                <td>{percentOf(stage.aspirants, newAspirants)}</td>
                <td>{index === 0 ? '—' : percentOf(stage.aspirants, funnel[index - 1]!.aspirants)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </details>
    </section>
  );
}

function ResponseTimes({ figures }: { figures: Figures }) {
  return (
    <section className="dashboard__section" aria-labelledby="response-title">
      <h2 id="response-title">Median first response</h2>
      <dl className="dashboard__figures">
        <div>
          <dt>First answer (bot or recruiter)</dt>
          <dd>{responseTimeText(figures.medianFirstResponseSeconds)}</dd>
        </div>
        <div>
          <dt>First recruiter answer</dt>
          <dd>{responseTimeText(figures.medianFirstRecruiterResponseSeconds)}</dd>
        </div>
      </dl>
      <p className="dashboard__hint">From an aspirant&apos;s first message in these days to the first reply.</p>
    </section>
  );
}

function AuthorShare({ figures }: { figures: Figures }) {
  const { botMessages, recruiterMessages, botShare } = figures;
  return (
    <section className="dashboard__section" aria-labelledby="share-title">
      <h2 id="share-title">Bot vs recruiters</h2>
      {botShare === null ? (
        <p>No messages sent in these days.</p>
      ) : (
        <>
          <span className="share" aria-hidden="true">
            <span className="share__bot" style={{ width: `${botShare * 100}%` }} />
          </span>
          <dl className="dashboard__figures">
            <div>
              <dt>
                <span className="swatch swatch--bot" aria-hidden="true" />
                Bot
              </dt>
              <dd>
                {botMessages} messages ({percent(botShare)})
              </dd>
            </div>
            <div>
              <dt>
                <span className="swatch swatch--recruiters" aria-hidden="true" />
                Recruiters
              </dt>
              <dd>
                {recruiterMessages} messages ({percent(1 - botShare)})
              </dd>
            </div>
          </dl>
        </>
      )}
    </section>
  );
}
