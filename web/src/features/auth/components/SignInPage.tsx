import { type FormEvent, useState } from 'react';
import { completeNewPassword, signIn, useSession } from '../stores/session.ts';

/** Sign-in, and the new-password step Cognito asks of invited recruiters. */
export function SignInPage({ isLocal }: { readonly isLocal: boolean }) {
  const notice = useSession((state) => state.notice);
  const [step, setStep] = useState<'credentials' | 'new-password'>('credentials');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const submit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    setBusy(true);
    setError(null);
    try {
      const outcome =
        step === 'credentials'
          ? await signIn(String(form.get('email') ?? ''), String(form.get('password') ?? ''))
          : await completeNewPassword(String(form.get('newPassword') ?? ''));
      if (outcome.kind === 'new-password-required') setStep('new-password');
    } catch (failure) {
      setError(failure instanceof Error ? failure.message : String(failure));
    } finally {
      setBusy(false);
    }
  };

  return (
    <main className="signin">
      <form className="signin__card" onSubmit={submit} aria-labelledby="signin-title">
        <h1 id="signin-title" className="signin__title">
          WasaPrecruit
        </h1>
        <p className="signin__subtitle">Recruiter console</p>
        {notice && (
          <p className="notice notice--warning" role="status">
            {notice}
          </p>
        )}
        {step === 'credentials' ? (
          <>
            <label className="field">
              <span className="field__label">Email</span>
              <input name="email" type="email" autoComplete="username" required autoFocus />
            </label>
            <label className="field">
              <span className="field__label">Password</span>
              <input name="password" type="password" autoComplete="current-password" required />
            </label>
          </>
        ) : (
          <label className="field">
            <span className="field__label">Choose a new password</span>
            <input name="newPassword" type="password" autoComplete="new-password" minLength={8} required autoFocus />
          </label>
        )}
        {error && (
          <p className="notice notice--error" role="alert">
            {error}
          </p>
        )}
        <button type="submit" className="button button--primary" disabled={busy}>
          {busy ? 'Signing in…' : 'Sign in'}
        </button>
        {isLocal && (
          <p className="signin__hint">
            Local demo: <code>admin@example.com</code>, <code>recruiter1@example.com</code> or <code>recruiter2@example.com</code> with the
            seed password (<code>SEED_PASSWORD</code>, by default <code>wasaprecruit-demo</code>).
          </p>
        )}
      </form>
    </main>
  );
}
