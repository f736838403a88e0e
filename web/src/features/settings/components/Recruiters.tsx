import { useMutation, useQuery } from '@apollo/client/react';
import { type FormEvent, useState } from 'react';
import { ErrorNotice, errorMessage } from '../../../components/ErrorNotice.tsx';
import type { RecruiterRole } from '../../../generated/graphql.ts';
import type { SettingsRecruiterFieldsFragment } from '../../../generated/operations.ts';
import { CREATE_RECRUITER, SET_RECRUITER_ACTIVE, SETTINGS_RECRUITERS, SETTINGS_VIEWER } from '../api/recruiters.ts';
import '../recruiters.css';

/** The API's limit for a name. */
const MAX_NAME_LENGTH = 100;

const roleLabel = (role: RecruiterRole) => (role === 'ADMIN' ? 'Admin' : 'Recruiter');

/** Who may sign in: the list with (de)activation, and the form that adds someone. */
export function Recruiters() {
  const { data, error } = useQuery(SETTINGS_RECRUITERS);
  const { data: viewer } = useQuery(SETTINGS_VIEWER);
  const [setActive] = useMutation(SET_RECRUITER_ACTIVE);
  const [problem, setProblem] = useState<string | null>(null);

  const toggle = (recruiter: SettingsRecruiterFieldsFragment) => {
    const question = recruiter.active
      ? `Deactivate ${recruiter.name}? They are signed out at once, cannot sign in again, and their aspirants return to the unassigned queue.`
      : `Activate ${recruiter.name}? They can sign in again with their password.`;
    if (!window.confirm(question)) return;
    setProblem(null);
    setActive({ variables: { id: recruiter.id, active: !recruiter.active } }).catch((failure: unknown) => setProblem(errorMessage(failure)));
  };

  return (
    <section className="settings__section" aria-labelledby="recruiters-title">
      <h2 id="recruiters-title">Recruiters</h2>
      {error && <ErrorNotice error={error} />}
      {problem && (
        <p className="notice notice--error" role="alert">
          {problem}
        </p>
      )}
      <table className="table" aria-labelledby="recruiters-title">
        <thead>
          <tr>
            <th scope="col">Name</th>
            <th scope="col">Email</th>
            <th scope="col">Role</th>
            <th scope="col">Status</th>
            <th scope="col">
              <span className="visually-hidden">Actions</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {data?.recruiters.map((recruiter) => (
            <tr key={recruiter.id} className={recruiter.active ? undefined : 'recruiters__inactive'}>
              <td>{recruiter.name}</td>
              <td>{recruiter.email}</td>
              <td>{roleLabel(recruiter.role)}</td>
              <td>{recruiter.active ? 'Active' : 'Deactivated'}</td>
              <td>
                {recruiter.id === viewer?.me.id ? (
                  <span className="table__detail">You</span>
                ) : (
                  <button
                    type="button"
                    className="button button--small"
                    aria-label={`${recruiter.active ? 'Deactivate' : 'Activate'} ${recruiter.name}`}
                    onClick={() => toggle(recruiter)}
                  >
                    {recruiter.active ? 'Deactivate' : 'Activate'}
                  </button>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <AddRecruiter />
    </section>
  );
}

interface Created {
  readonly name: string;
  readonly email: string;
  readonly temporaryPassword: string;
}

function AddRecruiter() {
  const [create, { loading }] = useMutation(CREATE_RECRUITER, { refetchQueries: [SETTINGS_RECRUITERS] });
  const [problem, setProblem] = useState<string | null>(null);
  const [created, setCreated] = useState<Created | null>(null);

  const submit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const form = event.currentTarget;
    const fields = new FormData(form);
    setProblem(null);
    setCreated(null);
    try {
      const { data } = await create({
        variables: {
          input: { name: String(fields.get('name') ?? ''), email: String(fields.get('email') ?? ''), role: fields.get('role') as RecruiterRole },
        },
      });
      if (!data) return;
      const { recruiter, temporaryPassword } = data.createRecruiter;
      setCreated({ name: recruiter.name, email: recruiter.email, temporaryPassword });
      form.reset();
    } catch (failure) {
      setProblem(errorMessage(failure));
    }
  };

  return (
    <>
      {created && <TemporaryPassword created={created} onDone={() => setCreated(null)} />}
      <form className="recruiters__form" onSubmit={(event) => void submit(event)} aria-label="Add a recruiter">
        <h3 className="recruiters__form-title">Add a recruiter</h3>
        <label className="field">
          <span className="field__label">Name</span>
          <input name="name" required maxLength={MAX_NAME_LENGTH} autoComplete="off" />
        </label>
        <label className="field">
          <span className="field__label">Email</span>
          <input name="email" type="email" required autoComplete="off" />
        </label>
        <label className="field">
          <span className="field__label">Role</span>
          <select name="role" defaultValue="RECRUITER">
            <option value="RECRUITER">Recruiter</option>
            <option value="ADMIN">Admin</option>
          </select>
        </label>
        {problem && (
          <p className="notice notice--error recruiters__form-wide" role="alert">
            {problem}
          </p>
        )}
        <div className="recruiters__form-wide">
          <button type="submit" className="button button--primary" disabled={loading}>
            Add recruiter
          </button>
        </div>
      </form>
    </>
  );
}

/** The one time the password is visible: it is not stored in clear anywhere, so it cannot be shown again. */
function TemporaryPassword({ created, onDone }: { readonly created: Created; readonly onDone: () => void }) {
  const [copied, setCopied] = useState<boolean | null>(null);
  const copy = () => {
    navigator.clipboard.writeText(created.temporaryPassword).then(
      () => setCopied(true),
      () => setCopied(false),
    );
  };
  return (
    <div className="notice notice--info recruiters__created" role="status" aria-labelledby="temporary-password-title">
      <div>
        <p id="temporary-password-title">
          <strong>{created.name}</strong> can now sign in as {created.email} with this temporary password:
        </p>
        <p className="recruiters__password">
          <code aria-label="Temporary password">{created.temporaryPassword}</code>
          <button type="button" className="button button--small" onClick={copy}>
            Copy
          </button>
          <span aria-live="polite">{copied === true ? 'Copied.' : copied === false ? 'Copying failed: select it and copy it by hand.' : ''}</span>
        </p>
        <p className="recruiters__note">
          It is shown only this once. Pass it on securely — in person or by phone, never in the same message as the email
          address. Where the sign-in service asks for it, they choose their own password at the first sign-in.
        </p>
      </div>
      <button type="button" className="button button--small" onClick={onDone}>
        Done
      </button>
    </div>
  );
}
