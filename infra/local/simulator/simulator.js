// The simulator page: a person plays one or many aspirants against the host's /sandbox API, which signs and
// posts the webhooks. Whatever anyone typed is shown with textContent, never parsed as HTML.

const STORAGE_KEY = 'wasaprecruit.simulator.aspirants';
const THREAD_POLL_MS = 1000;
const ASPIRANTS_POLL_MS = 5000;
const E164 = /^\+[1-9]\d{6,14}$/;

const TICKS = {
  queued: { mark: '🕓', label: 'Queued' },
  sending: { mark: '🕓', label: 'Sending' },
  sent: { mark: '✓', label: 'Sent' },
  delivered: { mark: '✓✓', label: 'Delivered' },
  read: { mark: '✓✓', label: 'Read' },
  failed: { mark: '!', label: 'Failed' },
  undelivered: { mark: '!', label: 'Not delivered' },
};

const $ = (id) => document.getElementById(id);
const view = {
  sender: $('sender'),
  aspirant: $('aspirant'),
  newAspirantPanel: $('new-aspirant-panel'),
  newAspirant: $('new-aspirant'),
  thread: $('thread'),
  composer: $('composer'),
  body: $('body'),
  photo: $('photo'),
  voice: $('voice'),
  record: $('record'),
  attachments: $('attachments'),
  status: $('status'),
};

const state = {
  /** [{ phone, profileName }] the person has played, kept in this browser. */
  aspirants: loadAspirants(),
  current: null,
  /** Files waiting to go with the next message. */
  pending: [],
  renderedThread: '',
};
state.current = state.aspirants[0]?.phone ?? null;

function loadAspirants() {
  try {
    const stored = JSON.parse(localStorage.getItem(STORAGE_KEY) ?? '[]');
    return Array.isArray(stored) ? stored.filter((item) => typeof item?.phone === 'string' && E164.test(item.phone)) : [];
  } catch {
    return [];
  }
}

function saveAspirants() {
  localStorage.setItem(STORAGE_KEY, JSON.stringify(state.aspirants));
}

/** A DOM element with text (never HTML), attributes and children. */
function element(tag, { text, className, attributes = {} } = {}, children = []) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined) node.textContent = text;
  for (const [name, value] of Object.entries(attributes)) node.setAttribute(name, value);
  node.append(...children);
  return node;
}

function showStatus(message, isError = false) {
  view.status.textContent = message;
  view.status.classList.toggle('error', isError);
}

async function callSandbox(path, init) {
  const response = await fetch(path, init);
  const body = await response.json().catch(() => ({}));
  if (!response.ok) throw new Error(body.message ?? `the sandbox answered ${response.status}`);
  return body;
}

const profileNameOf = (phone) => state.aspirants.find((item) => item.phone === phone)?.profileName ?? '';

function renderAspirantChoices() {
  const options = state.aspirants.map(({ phone, profileName }) =>
    element('option', { text: profileName ? `${profileName} (${phone})` : phone, attributes: { value: phone } }),
  );
  if (options.length === 0) options.push(element('option', { text: 'Create an aspirant below', attributes: { value: '' } }));
  view.aspirant.replaceChildren(...options);
  view.aspirant.value = state.current ?? '';
  view.newAspirantPanel.open = state.aspirants.length === 0;
}

async function refreshAspirants() {
  const { sender, aspirants } = await callSandbox('/sandbox/aspirants');
  view.sender.textContent = sender;
  let changed = false;
  for (const seen of aspirants) {
    if (state.aspirants.some((item) => item.phone === seen.phone)) continue;
    state.aspirants.push({ phone: seen.phone, profileName: seen.profileName ?? '' });
    changed = true;
  }
  if (!changed) return;
  state.current ??= state.aspirants[0]?.phone ?? null;
  saveAspirants();
  renderAspirantChoices();
}

async function refreshThread() {
  if (!state.current) {
    view.thread.replaceChildren(element('li', { className: 'empty', text: 'Create an aspirant to start a conversation.' }));
    return;
  }
  const phone = state.current;
  const { entries } = await callSandbox(`/sandbox/thread?phone=${encodeURIComponent(phone)}`);
  const snapshot = JSON.stringify(entries);
  if (phone !== state.current || snapshot === state.renderedThread) return;
  state.renderedThread = snapshot;
  const atBottom = view.thread.scrollHeight - view.thread.scrollTop - view.thread.clientHeight < 40;
  view.thread.replaceChildren(...(entries.length > 0 ? entries.map(renderEntry) : [element('li', { className: 'empty', text: 'No messages yet. Say hola!' })]));
  if (atBottom) view.thread.scrollTop = view.thread.scrollHeight;
}

function renderEntry(entry) {
  const time = element('time', { text: new Date(entry.at).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' }), attributes: { datetime: entry.at } });
  const content = entry.kind === 'inbound' ? inboundContent(entry) : outboundContent(entry);
  const meta = element('div', { className: 'meta' }, [time, ...(entry.kind === 'inbound' ? inboundMeta(entry) : [ticks(entry.status)])]);
  const who = element('span', { className: 'visually-hidden', text: entry.kind === 'inbound' ? 'You:' : 'Agency:' });
  return element('li', { className: `bubble ${entry.kind}` }, [who, ...content, meta]);
}

function inboundContent(entry) {
  const parts = entry.media.map((item) => {
    if (item.contentType.startsWith('image/')) return element('img', { attributes: { src: item.previewUrl, alt: 'Photo you sent' } });
    if (item.contentType.startsWith('audio/')) return element('audio', { attributes: { src: item.previewUrl, controls: '', 'aria-label': 'Voice note you sent' } });
    return element('a', { text: `Attachment (${item.contentType})`, attributes: { href: item.previewUrl, target: '_blank', rel: 'noopener noreferrer' } });
  });
  if (entry.body) parts.push(element('p', { className: 'text', text: entry.body }));
  return parts;
}

function outboundContent(entry) {
  const parts = entry.mediaUrls
    .filter((url) => /^https?:\/\//i.test(url))
    .map((url) => element('a', { text: 'Attachment', attributes: { href: url, target: '_blank', rel: 'noopener noreferrer' } }));
  if (entry.template) {
    const variables = Object.entries(entry.template.variables).map(([key, value]) => `{{${key}}} = ${value}`);
    parts.push(element('p', { className: 'template', text: `Template ${entry.template.contentSid}${variables.length ? `: ${variables.join(', ')}` : ''}` }));
  }
  if (entry.body) parts.push(element('p', { className: 'text', text: entry.body }));
  return parts;
}

function inboundMeta(entry) {
  const last = entry.deliveries.at(-1);
  const acknowledged = last?.answer === 200;
  const answerText = !last ? 'posting…' : last.answer === null ? 'host unreachable' : acknowledged ? '✓ 200' : `HTTP ${last.answer}`;
  const parts = [
    element('span', {
      className: `answer${acknowledged ? '' : ' refused'}`,
      text: answerText,
      attributes: { title: 'What the host answered the webhook', 'aria-label': `Webhook answer: ${answerText}` },
    }),
  ];
  if (entry.deliveries.length > 1) parts.push(element('span', { text: `posted ${entry.deliveries.length}×` }));
  const replay = element('button', { className: 'replay', text: 'Replay', attributes: { type: 'button', 'aria-label': `Replay the webhook of message ${entry.messageSid}` } });
  replay.addEventListener('click', () => replayMessage(entry.messageSid));
  parts.push(replay);
  return parts;
}

function ticks(status) {
  const { mark, label } = TICKS[status] ?? { mark: '?', label: status };
  const kind = status === 'read' ? ' read' : status === 'failed' || status === 'undelivered' ? ' failed' : '';
  return element('span', { className: `ticks${kind}`, text: mark, attributes: { title: label, 'aria-label': label } });
}

async function replayMessage(messageSid) {
  try {
    const { answer } = await callSandbox(`/sandbox/messages/${encodeURIComponent(messageSid)}/replay`, { method: 'POST' });
    showStatus(
      answer === 200
        ? 'Replayed the same signed webhook (same MessageSid): the host answered 200, and the console still shows the message once.'
        : `Replayed: the host answered ${answer ?? 'nothing'}.`,
      answer !== 200,
    );
    await refreshThread();
  } catch (error) {
    showStatus(`Replay failed: ${error.message}`, true);
  }
}

function renderAttachments() {
  view.attachments.replaceChildren(
    ...state.pending.map((file, index) => {
      const remove = element('button', { text: '✕', attributes: { type: 'button', 'aria-label': `Remove ${file.name}` } });
      remove.addEventListener('click', () => {
        state.pending.splice(index, 1);
        renderAttachments();
      });
      return element('li', { text: file.name || file.type }, [remove]);
    }),
  );
}

function addFiles(input) {
  state.pending.push(...input.files);
  input.value = '';
  renderAttachments();
}

async function sendMessage(event) {
  event.preventDefault();
  if (!state.current) return showStatus('Choose or create an aspirant first.', true);
  const body = view.body.value;
  if (!body.trim() && state.pending.length === 0) return showStatus('Write something or attach a file.', true);
  const form = new FormData();
  form.append('from', state.current);
  form.append('profileName', profileNameOf(state.current));
  form.append('body', body);
  for (const file of state.pending) form.append('media', file, file.name);
  showStatus('Sending…');
  try {
    const { answer } = await callSandbox('/sandbox/messages', { method: 'POST', body: form });
    view.body.value = '';
    state.pending = [];
    renderAttachments();
    showStatus(answer === 200 ? '' : `The host answered ${answer ?? 'nothing'}: see the message's mark.`, answer !== 200);
    await refreshThread();
  } catch (error) {
    showStatus(`Not sent: ${error.message}`, true);
  }
}

function createAspirant(event) {
  event.preventDefault();
  const data = new FormData(view.newAspirant);
  const phone = String(data.get('phone') ?? '').replace(/[\s().-]/g, '');
  const profileName = String(data.get('profileName') ?? '').trim();
  if (!E164.test(phone)) return showStatus('The phone number needs a + and the country code, e.g. +52 55 1234 5678.', true);
  const known = state.aspirants.find((item) => item.phone === phone);
  if (known) known.profileName = profileName || known.profileName;
  else state.aspirants.push({ phone, profileName });
  saveAspirants();
  view.newAspirant.reset();
  selectAspirant(phone);
  renderAspirantChoices();
  showStatus('');
}

function selectAspirant(phone) {
  state.current = phone || null;
  state.renderedThread = '';
  view.thread.replaceChildren();
  refreshThread().catch((error) => showStatus(error.message, true));
}

/** Voice notes recorded in the page, where the browser can: WhatsApp's own are Ogg Opus. */
function setUpRecording() {
  if (!window.MediaRecorder || !navigator.mediaDevices?.getUserMedia) return;
  view.record.hidden = false;
  let recorder = null;
  view.record.addEventListener('click', async () => {
    if (recorder) return recorder.stop();
    try {
      const stream = await navigator.mediaDevices.getUserMedia({ audio: true });
      const mimeType = ['audio/ogg;codecs=opus', 'audio/webm;codecs=opus'].find((type) => MediaRecorder.isTypeSupported(type));
      recorder = new MediaRecorder(stream, mimeType ? { mimeType } : undefined);
      const chunks = [];
      recorder.addEventListener('dataavailable', (event) => chunks.push(event.data));
      recorder.addEventListener('stop', () => {
        stream.getTracks().forEach((track) => track.stop());
        const type = (recorder.mimeType || 'audio/ogg').split(';')[0];
        state.pending.push(new File(chunks, `voice-note.${type.split('/')[1]}`, { type }));
        recorder = null;
        view.record.setAttribute('aria-pressed', 'false');
        view.record.textContent = 'Record voice note';
        renderAttachments();
      });
      recorder.start();
      view.record.setAttribute('aria-pressed', 'true');
      view.record.textContent = 'Stop recording';
    } catch (error) {
      showStatus(`Cannot record: ${error.message}`, true);
    }
  });
}

function poll(work, everyMs) {
  let busy = false;
  const run = async () => {
    if (busy) return;
    busy = true;
    try {
      await work();
    } catch (error) {
      showStatus(`The host is not answering: ${error.message}`, true);
    } finally {
      busy = false;
    }
  };
  run();
  setInterval(run, everyMs);
}

view.aspirant.addEventListener('change', () => selectAspirant(view.aspirant.value));
view.newAspirant.addEventListener('submit', createAspirant);
view.composer.addEventListener('submit', sendMessage);
view.body.addEventListener('keydown', (event) => {
  if (event.key === 'Enter' && !event.shiftKey) sendMessage(event);
});
view.photo.addEventListener('change', () => addFiles(view.photo));
view.voice.addEventListener('change', () => addFiles(view.voice));
setUpRecording();
renderAspirantChoices();
poll(refreshAspirants, ASPIRANTS_POLL_MS);
poll(refreshThread, THREAD_POLL_MS);
