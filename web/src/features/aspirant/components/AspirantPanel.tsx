import { useQuery } from '@apollo/client/react';
import { useState } from 'react';
import { ErrorNotice, errorMessage } from '../../../components/ErrorNotice.tsx';
import type { AspirantDetailsFragment } from '../../../generated/operations.ts';
import { fullDateTime } from '../../../lib/time.ts';
import { ASPIRANT_PANEL } from '../api/aspirant.ts';
import { useRecordGuardianConsent } from '../api/mutations.ts';
import { useAspirantLive } from '../hooks/useAspirantLive.ts';
import { AssigneeControl } from './AssigneeControl.tsx';
import { DataRightsSection } from './DataRightsSection.tsx';
import { NotesSection } from './NotesSection.tsx';
import { ProfileSection } from './ProfileSection.tsx';
import { ShiftGrid } from './ShiftGrid.tsx';
import { StatusControl } from './StatusControl.tsx';
import { TagsEditor } from './TagsEditor.tsx';


export interface PanelViewer {
  readonly id: string;
  readonly isAdmin: boolean;
}

const languageNames = { ES: 'Spanish', EN: 'English', PT: 'Portuguese' } as const;

function Flags({ aspirant }: { readonly aspirant: AspirantDetailsFragment }) {
  const recordConsent = useRecordGuardianConsent();
  const [problem, setProblem] = useState<string | null>(null);
  return (
    <>
      <ul className="flags" aria-label="Flags">
        {aspirant.isMinor && (
          <li className="flag flag--alert">
            Minor — guardian consent {aspirant.guardianConsentAt ? `given ${fullDateTime(aspirant.guardianConsentAt)}` : 'pending'}
          </li>
        )}
        {aspirant.optedOut && <li className="flag">Opted out{aspirant.optedOutAt ? ` ${fullDateTime(aspirant.optedOutAt)}` : ''}</li>}
        {aspirant.language && <li className="flag">{languageNames[aspirant.language]}</li>}
        {aspirant.dateOfBirth && <li className="flag">Born {aspirant.dateOfBirth}</li>}
      </ul>
      {aspirant.isMinor && !aspirant.guardianConsentAt && (
        <button
          type="button"
          className="button button--small aspirant__consent"
          onClick={() => {
            if (!window.confirm(`Record that ${aspirant.displayName}'s parent or guardian consented? The bot then asks for photos.`)) return;
            setProblem(null);
            recordConsent(aspirant.id).catch((failure: unknown) => setProblem(errorMessage(failure)));
          }}
        >
          Record guardian consent
        </button>
      )}
      {problem && (
        <p className="notice notice--error" role="alert">
          {problem}
        </p>
      )}
    </>
  );
}

function FormState({ aspirant }: { readonly aspirant: AspirantDetailsFragment }) {
  const link = aspirant.formLink;
  if (aspirant.formSubmission) return <p>Form submitted {fullDateTime(aspirant.formSubmission.submittedAt)}.</p>;
  if (!link) return <p>No form link sent yet.</p>;
  const pending = link.status === 'SENT' || link.status === 'OPENED';
  const what =
    link.status === 'OPENED' && link.openedAt ? `Form link opened ${fullDateTime(link.openedAt)}`
    : link.status === 'SENT' ? 'Form link sent, not opened yet'
    : `Form link ${link.status.toLowerCase()}`;
  return (
    <p>
      {what}
      {pending ? ` · expires ${fullDateTime(link.expiresAt)}` : ''}.
    </p>
  );
}

/**
 * Everything about the aspirant behind the open conversation, and what a recruiter can change. `onErased`: an
 * admin erased the aspirant here (they are already gone from the cache).
 */
export function AspirantPanel({ aspirantId, viewer, onErased }: { readonly aspirantId: string; readonly viewer: PanelViewer; readonly onErased: () => void }) {
  const { data, error, refetch } = useQuery(ASPIRANT_PANEL, { variables: { id: aspirantId }, fetchPolicy: 'cache-and-network', nextFetchPolicy: 'cache-first' });
  useAspirantLive(aspirantId);
  const aspirant = data?.aspirant;
  if (!aspirant) {
    return error ? <ErrorNotice error={error} action={{ label: 'Retry', run: () => void refetch().catch(() => undefined) }} /> : <p className="panel__status">Loading aspirant…</p>;
  }
  return (
    <div className="aspirant">
      <section className="panel__section" aria-labelledby="aspirant-name">
        <h2 id="aspirant-name">{aspirant.fullName ?? aspirant.displayName}</h2>
        <p className="aspirant__phone">
          {aspirant.phone}
          {aspirant.whatsappName && aspirant.whatsappName !== aspirant.fullName ? ` · WhatsApp: ${aspirant.whatsappName}` : ''}
        </p>
        <Flags aspirant={aspirant} />
      </section>
      <StatusControl aspirant={aspirant} />
      <AssigneeControl aspirant={aspirant} viewer={viewer} />
      <TagsEditor aspirant={aspirant} />
      <section className="panel__section" aria-labelledby="profile-title">
        <h3 id="profile-title">Profile</h3>
        <FormState aspirant={aspirant} />
        <ProfileSection profile={aspirant.profile} />
      </section>
      <section className="panel__section" aria-labelledby="shifts-title">
        <h3 id="shifts-title">Shift preferences</h3>
        <ShiftGrid preferences={aspirant.shiftPreferences} />
      </section>
      <NotesSection aspirant={aspirant} />
      <DataRightsSection aspirant={aspirant} viewer={viewer} onErased={onErased} />
    </div>
  );
}
