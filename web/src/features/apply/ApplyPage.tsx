import { type FormEvent, type ReactNode, useEffect, useState } from 'react';
import { openForm, type RefusalReason, submitForm } from './api.ts';
import { type FormLanguage } from './form/messages.ts';
import { type FormFieldErrors, formLanguages, formShiftWindows, formWeekdays, parseApplicationForm } from './form/schema.ts';
import { pageTexts } from './texts.ts';
import './apply.css';

/**
 * The aspirant's application form at `/apply/<token>`: no login (the signed token is the key), phone-sized
 * first, in the aspirant's language. The same zod schema as the server validates before sending, so errors
 * show per field at once; the server's per-field answer is shown the same way. A resubmission updates.
 */
type Shift = { readonly day: (typeof formWeekdays)[number]; readonly window: (typeof formShiftWindows)[number] };

interface Values {
  fullName: string;
  dateOfBirth: string;
  city: string;
  heightCm: string;
  bustCm: string;
  waistCm: string;
  hipsCm: string;
  shoeSizeEu: string;
  experience: string;
  portfolioUrl: string;
  instagram: string;
  shiftPreferences: Shift[];
  consents: { dataProcessing: boolean; whatsappContact: boolean };
}

const emptyValues: Values = {
  fullName: '',
  dateOfBirth: '',
  city: '',
  heightCm: '',
  bustCm: '',
  waistCm: '',
  hipsCm: '',
  shoeSizeEu: '',
  experience: '',
  portfolioUrl: '',
  instagram: '',
  shiftPreferences: [],
  consents: { dataProcessing: false, whatsappContact: false },
};

type TextField = Exclude<keyof Values, 'shiftPreferences' | 'consents'>;

/** A previous submission (as the server stored it) back into the form's fields. */
function prefill(previous: Record<string, unknown> | null): Values {
  if (previous === null) return emptyValues;
  const text = (key: TextField) => (previous[key] === undefined || previous[key] === null ? '' : String(previous[key]));
  const shifts = Array.isArray(previous.shiftPreferences) ? (previous.shiftPreferences as Shift[]) : [];
  const instagram = text('instagram');
  return {
    fullName: text('fullName'),
    dateOfBirth: text('dateOfBirth'),
    city: text('city'),
    heightCm: text('heightCm'),
    bustCm: text('bustCm'),
    waistCm: text('waistCm'),
    hipsCm: text('hipsCm'),
    shoeSizeEu: text('shoeSizeEu'),
    experience: text('experience'),
    portfolioUrl: text('portfolioUrl'),
    instagram: instagram === '' ? '' : `@${instagram}`,
    shiftPreferences: shifts,
    consents: { dataProcessing: false, whatsappContact: false },
  };
}

type PageState =
  | { readonly kind: 'loading' }
  | { readonly kind: 'refused'; readonly reason: RefusalReason }
  | { readonly kind: 'form' }
  | { readonly kind: 'submitted' };

export function ApplyPage({ token }: { readonly token: string }) {
  const [state, setState] = useState<PageState>({ kind: 'loading' });
  const [language, setLanguage] = useState<FormLanguage>(browserLanguage());
  const [values, setValues] = useState<Values>(emptyValues);
  const [errors, setErrors] = useState<FormFieldErrors>({});
  const [sending, setSending] = useState(false);
  const texts = pageTexts[language];

  useEffect(() => {
    let current = true;
    void openForm(token).then((opened) => {
      if (!current) return;
      if (!opened.ok) return setState({ kind: 'refused', reason: opened.reason });
      setLanguage(opened.language);
      setValues(prefill(opened.previous));
      setState({ kind: 'form' });
    });
    return () => {
      current = false;
    };
  }, [token]);

  useEffect(() => {
    document.documentElement.lang = language;
    document.title = texts.title;
  }, [language, texts.title]);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const body = { ...values, language };
    const checked = parseApplicationForm(body, { language });
    if (!checked.ok) return setErrors(checked.errors);
    setErrors({});
    setSending(true);
    const result = await submitForm(token, body);
    setSending(false);
    if (result.ok) return setState({ kind: 'submitted' });
    if ('errors' in result) return setErrors(result.errors);
    setState({ kind: 'refused', reason: result.reason });
  };

  if (state.kind === 'loading') return <Page>{texts.loading}</Page>;
  if (state.kind === 'refused') {
    return (
      <Page>
        <p role="alert" className="apply__refused">
          {texts.refused[state.reason]}
        </p>
      </Page>
    );
  }
  if (state.kind === 'submitted') {
    return (
      <Page>
        <h1>{texts.thanksTitle}</h1>
        <p>{texts.thanks}</p>
        <button type="button" className="apply__secondary" onClick={() => setState({ kind: 'form' })}>
          {texts.edit}
        </button>
      </Page>
    );
  }

  const field = (name: TextField, label: string, input: { type?: string; inputMode?: 'numeric' | 'decimal' | 'url'; autoComplete?: string; optional?: boolean } = {}) => (
    <Field name={name} label={input.optional ? `${label} (${texts.optional})` : label} error={errors[name]}>
      <input
        id={`apply-${name}`}
        name={name}
        type={input.type ?? 'text'}
        inputMode={input.inputMode}
        autoComplete={input.autoComplete}
        value={values[name]}
        aria-invalid={errors[name] ? true : undefined}
        aria-describedby={errors[name] ? `apply-${name}-error` : undefined}
        onChange={(event) => setValues({ ...values, [name]: event.target.value })}
      />
    </Field>
  );
  const toggleShift = (shift: Shift) => {
    const chosen = values.shiftPreferences.some((other) => other.day === shift.day && other.window === shift.window);
    setValues({
      ...values,
      shiftPreferences: chosen ? values.shiftPreferences.filter((other) => other.day !== shift.day || other.window !== shift.window) : [...values.shiftPreferences, shift],
    });
  };
  const hasErrors = Object.keys(errors).length > 0;

  return (
    <Page>
      <h1>{texts.title}</h1>
      <p>{texts.intro}</p>
      <label className="apply__language">
        {texts.language}{' '}
        <select value={language} onChange={(event) => setLanguage(event.target.value as FormLanguage)}>
          {formLanguages.map((code) => (
            <option key={code} value={code}>
              {{ es: 'Español', en: 'English', pt: 'Português' }[code]}
            </option>
          ))}
        </select>
      </label>
      <form noValidate onSubmit={(event) => void submit(event)}>
        {hasErrors && (
          <p role="alert" className="apply__summary">
            {errors.form ?? texts.fixErrors}
          </p>
        )}
        {field('fullName', texts.fullName, { autoComplete: 'name' })}
        {field('dateOfBirth', texts.dateOfBirth, { type: 'date', autoComplete: 'bday' })}
        {field('city', texts.city, { autoComplete: 'address-level2' })}
        {field('heightCm', texts.heightCm, { inputMode: 'numeric' })}
        <fieldset className="apply__group">
          <legend>
            {texts.measurements} ({texts.optional})
          </legend>
          <div className="apply__row">
            {field('bustCm', texts.bustCm, { inputMode: 'numeric' })}
            {field('waistCm', texts.waistCm, { inputMode: 'numeric' })}
            {field('hipsCm', texts.hipsCm, { inputMode: 'numeric' })}
          </div>
        </fieldset>
        {field('shoeSizeEu', texts.shoeSizeEu, { inputMode: 'decimal', optional: true })}
        <Field name="experience" label={`${texts.experience} (${texts.optional})`} error={errors.experience}>
          <textarea id="apply-experience" rows={3} value={values.experience} onChange={(event) => setValues({ ...values, experience: event.target.value })} />
        </Field>
        {field('portfolioUrl', texts.portfolioUrl, { type: 'url', inputMode: 'url', optional: true })}
        {field('instagram', texts.instagram, { optional: true })}

        <fieldset className="apply__group" aria-describedby={errors.shiftPreferences ? 'apply-shiftPreferences-error' : undefined}>
          <legend>{texts.shifts}</legend>
          <p className="apply__hint">{texts.shiftsHint}</p>
          <div className="apply__grid" role="group">
            <span />
            {formShiftWindows.map((window) => (
              <span key={window} className="apply__grid-head">
                {texts.windows[window]}
              </span>
            ))}
            {formWeekdays.map((day) => (
              <div key={day} className="apply__grid-row">
                <span className="apply__grid-day">{texts.days[day]}</span>
                {formShiftWindows.map((window) => (
                  <input
                    key={window}
                    type="checkbox"
                    aria-label={`${texts.days[day]} ${texts.windows[window]}`}
                    checked={values.shiftPreferences.some((shift) => shift.day === day && shift.window === window)}
                    onChange={() => toggleShift({ day, window })}
                  />
                ))}
              </div>
            ))}
          </div>
          <FieldError name="shiftPreferences" error={errors.shiftPreferences} />
        </fieldset>

        {(['dataProcessing', 'whatsappContact'] as const).map((consent) => (
          <div key={consent} className="apply__consent">
            <label>
              <input
                type="checkbox"
                checked={values.consents[consent]}
                onChange={(event) => setValues({ ...values, consents: { ...values.consents, [consent]: event.target.checked } })}
              />{' '}
              {consent === 'dataProcessing' ? texts.consentData : texts.consentWhatsapp}
            </label>
            <FieldError name={`consents.${consent}`} error={errors[`consents.${consent}`] ?? (consent === 'dataProcessing' ? errors.consents : undefined)} />
          </div>
        ))}

        <button type="submit" className="apply__submit" disabled={sending}>
          {sending ? texts.sending : texts.submit}
        </button>
      </form>
    </Page>
  );
}

function Page({ children }: { readonly children: ReactNode }) {
  return <main className="apply">{children}</main>;
}

function Field({ name, label, error, children }: { readonly name: string; readonly label: string; readonly error: string | undefined; readonly children: ReactNode }) {
  return (
    <div className="apply__field">
      <label htmlFor={`apply-${name}`}>{label}</label>
      {children}
      <FieldError name={name} error={error} />
    </div>
  );
}

function FieldError({ name, error }: { readonly name: string; readonly error: string | undefined }) {
  if (!error) return null;
  return (
    <p id={`apply-${name}-error`} className="apply__error">
      {error}
    </p>
  );
}

/** Before the server says the aspirant's language: the browser's, when it is one of ours. */
function browserLanguage(): FormLanguage {
  const preferred = navigator.language.slice(0, 2).toLowerCase();
  return formLanguages.find((code) => code === preferred) ?? 'es';
}
