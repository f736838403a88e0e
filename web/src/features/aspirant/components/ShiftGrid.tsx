import type { ShiftWindow, Weekday } from '../../../generated/graphql.ts';
import type { AspirantDetailsFragment } from '../../../generated/operations.ts';

const days: readonly [Weekday, string][] = [
  ['MON', 'Mon'],
  ['TUE', 'Tue'],
  ['WED', 'Wed'],
  ['THU', 'Thu'],
  ['FRI', 'Fri'],
  ['SAT', 'Sat'],
  ['SUN', 'Sun'],
];
const windows: readonly [ShiftWindow, string][] = [
  ['MORNING', 'Morning'],
  ['AFTERNOON', 'Afternoon'],
  ['EVENING', 'Evening'],
  ['NIGHT', 'Night'],
];

/** When the aspirant can work: a week of day parts, marked where they said yes. */
export function ShiftGrid({ preferences }: { readonly preferences: AspirantDetailsFragment['shiftPreferences'] }) {
  if (preferences.length === 0) return <p className="panel__status">No shift preferences yet.</p>;
  const chosen = new Set(preferences.map((preference) => `${preference.day}:${preference.window}`));
  return (
    <table className="shifts">
      <thead>
        <tr>
          <td />
          {days.map(([day, label]) => (
            <th key={day} scope="col">
              {label}
            </th>
          ))}
        </tr>
      </thead>
      <tbody>
        {windows.map(([window, label]) => (
          <tr key={window}>
            <th scope="row">{label}</th>
            {days.map(([day, dayLabel]) => {
              const yes = chosen.has(`${day}:${window}`);
              return (
                <td key={day} className={yes ? 'shifts__yes' : undefined} aria-label={`${dayLabel} ${label}: ${yes ? 'available' : 'not available'}`}>
                  {yes ? '●' : ''}
                </td>
              );
            })}
          </tr>
        ))}
      </tbody>
    </table>
  );
}
