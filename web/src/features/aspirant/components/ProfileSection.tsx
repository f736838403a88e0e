import type { ReactNode } from 'react';
import { SafeText } from '../../../components/SafeText.tsx';
import type { AspirantDetailsFragment } from '../../../generated/operations.ts';

type Profile = NonNullable<AspirantDetailsFragment['profile']>;

const instagramHandle = (value: string): string | null => {
  const handle = value.trim().replace(/^@/, '');
  return /^[A-Za-z0-9._]{1,30}$/.test(handle) ? handle : null;
};

/** What the aspirant told us on the form; every value is shown as text. */
export function ProfileSection({ profile }: { readonly profile: AspirantDetailsFragment['profile'] }) {
  if (!profile) return <p className="panel__status">No form data yet.</p>;
  const rows: [string, ReactNode][] = [
    ['City', profile.city],
    ['Height', profile.heightCm === null ? null : `${profile.heightCm} cm`],
    [
      'Measurements',
      profile.bustCm === null && profile.waistCm === null && profile.hipsCm === null
        ? null
        : `${profile.bustCm ?? '–'} / ${profile.waistCm ?? '–'} / ${profile.hipsCm ?? '–'} cm`,
    ],
    ['Shoe size (EU)', profile.shoeSizeEu],
    ['Experience', profile.experience === null ? null : <SafeText text={profile.experience} />],
    ['Portfolio', profile.portfolioUrl === null ? null : <SafeText text={profile.portfolioUrl} />],
    ['Instagram', instagramLink(profile)],
  ];
  const shown = rows.filter(([, value]) => value !== null && value !== undefined);
  if (shown.length === 0) return <p className="panel__status">No form data yet.</p>;
  return (
    <dl className="profile">
      {shown.map(([label, value]) => (
        <div key={label} className="profile__row">
          <dt>{label}</dt>
          <dd>{value}</dd>
        </div>
      ))}
    </dl>
  );
}

function instagramLink(profile: Profile): ReactNode {
  if (profile.instagram === null) return null;
  const handle = instagramHandle(profile.instagram);
  if (handle === null) return profile.instagram;
  return (
    <a href={`https://www.instagram.com/${handle}/`} target="_blank" rel="noopener noreferrer">
      @{handle}
    </a>
  );
}
