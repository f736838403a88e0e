import { useEffect, useRef } from 'react';

export interface LightboxImage {
  readonly url: string;
  readonly alt: string;
}

/**
 * Full-size photos in a modal <dialog>: the browser traps focus and closes it on Escape; arrow keys move
 * between photos. Focus returns to whatever opened it.
 */
export function Lightbox({
  images,
  index,
  onIndexChange,
  onClose,
}: {
  readonly images: readonly LightboxImage[];
  readonly index: number;
  readonly onIndexChange: (index: number) => void;
  readonly onClose: () => void;
}) {
  const dialog = useRef<HTMLDialogElement>(null);
  useEffect(() => {
    const element = dialog.current;
    if (element && !element.open) element.showModal();
  }, []);
  const image = images[index];
  if (image === undefined) return null;
  const move = (step: number) => onIndexChange((index + step + images.length) % images.length);
  return (
    <dialog
      ref={dialog}
      className="lightbox"
      aria-label={`Photo ${index + 1} of ${images.length}`}
      onClose={onClose}
      onClick={(event) => {
        if (event.target === event.currentTarget) dialog.current?.close();
      }}
      onKeyDown={(event) => {
        if (event.key === 'ArrowRight') move(1);
        if (event.key === 'ArrowLeft') move(-1);
      }}
    >
      <img src={image.url} alt={image.alt} className="lightbox__image" />
      <div className="lightbox__bar">
        {images.length > 1 && (
          <>
            <button type="button" className="button" onClick={() => move(-1)} aria-label="Previous photo">
              ‹
            </button>
            <span>
              {index + 1} / {images.length}
            </span>
            <button type="button" className="button" onClick={() => move(1)} aria-label="Next photo">
              ›
            </button>
          </>
        )}
        <a className="button" href={image.url} target="_blank" rel="noopener noreferrer">
          Open original
        </a>
        <button type="button" className="button" onClick={() => dialog.current?.close()} autoFocus>
          Close
        </button>
      </div>
    </dialog>
  );
}
