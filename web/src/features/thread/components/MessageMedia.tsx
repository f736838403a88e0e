import { useState } from 'react';
import { Lightbox } from '../../../components/Lightbox.tsx';
import type { ThreadMessageFragment } from '../../../generated/operations.ts';

type MediaItem = ThreadMessageFragment['media'][number];

const isHttpUrl = (url: string | null): url is string => url !== null && /^https?:\/\//i.test(new URL(url, window.location.href).href);

const sizeLabel = (bytes: number | null): string =>
  bytes === null ? '' : bytes < 1024 * 1024 ? ` · ${Math.max(1, Math.round(bytes / 1024))} KB` : ` · ${(bytes / 1024 / 1024).toFixed(1)} MB`;

/** Photos inline (opening a lightbox), voice notes and videos playable in place, documents as links. */
export function MessageMedia({ media }: { readonly media: readonly MediaItem[] }) {
  const [open, setOpen] = useState<number | null>(null);
  const images = media.filter((item) => (item.kind === 'IMAGE' || item.kind === 'STICKER') && item.status === 'STORED' && isHttpUrl(item.url));
  return (
    <div className="media">
      {media.map((item) => {
        if (item.status === 'PENDING') return <div key={item.id} className="media__placeholder">Fetching {item.kind.toLowerCase()}…</div>;
        if (item.status === 'REJECTED' || !isHttpUrl(item.url)) {
          return (
            <div key={item.id} className="media__placeholder media__placeholder--rejected">
              {item.kind.toLowerCase()} not kept{item.rejectionReason ? `: ${item.rejectionReason}` : ''}
            </div>
          );
        }
        const url = item.url;
        switch (item.kind) {
          case 'IMAGE':
          case 'STICKER': {
            const index = images.indexOf(item);
            return (
              <button key={item.id} type="button" className="media__photo" onClick={() => setOpen(index)} aria-label="Open photo">
                <img src={item.thumbnailUrl ?? url} alt="Photo from the aspirant" loading="lazy" />
              </button>
            );
          }
          case 'AUDIO':
            return (
              <div key={item.id} className="media__audio">
                <audio controls preload="none" src={url} aria-label="Voice note">
                  <a href={url} target="_blank" rel="noopener noreferrer">
                    Voice note
                  </a>
                </audio>
                {item.durationSeconds !== null && <span className="media__duration">{Math.round(item.durationSeconds)} s</span>}
              </div>
            );
          case 'VIDEO':
            return <video key={item.id} className="media__video" controls preload="none" src={url} aria-label="Video from the aspirant" />;
          default:
            return (
              <a key={item.id} className="media__document" href={url} target="_blank" rel="noopener noreferrer" download={item.fileName ?? undefined}>
                {item.fileName ?? 'Document'}
                {sizeLabel(item.sizeBytes)}
              </a>
            );
        }
      })}
      {open !== null && (
        <Lightbox
          images={images.map((item) => ({ url: item.url!, alt: 'Photo from the aspirant' }))}
          index={open}
          onIndexChange={setOpen}
          onClose={() => setOpen(null)}
        />
      )}
    </div>
  );
}
