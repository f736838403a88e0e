import { useApolloClient, useQuery } from '@apollo/client/react';
import { useCallback, useState } from 'react';
import { ErrorNotice } from '../../../components/ErrorNotice.tsx';
import { Lightbox } from '../../../components/Lightbox.tsx';
import type { PhotoKind } from '../../../generated/graphql.ts';
import { useLiveSubscription } from '../../../lib/live/useLiveSubscription.ts';
import { fullDateTime } from '../../../lib/time.ts';
import { ASPIRANT_PHOTO_EVENTS, ASPIRANT_PHOTOS, ASPIRANT_PHOTOS_FIELDS } from '../api/photos.ts';

const kindLabels: Readonly<Record<PhotoKind, string>> = { HEADSHOT: 'Headshot', FULL_BODY: 'Full body', PROFILE: 'Profile', OTHER: 'Photo' };

/** The aspirant's photos (re-encoded, metadata stripped, signed short-lived URLs), live as they arrive. */
export function PhotoGallery({ aspirantId }: { readonly aspirantId: string }) {
  const client = useApolloClient();
  const { data, error, refetch } = useQuery(ASPIRANT_PHOTOS, { variables: { id: aspirantId }, fetchPolicy: 'cache-and-network', nextFetchPolicy: 'cache-first' });
  const onResync = useCallback(() => void refetch().catch(() => undefined), [refetch]);
  useLiveSubscription(ASPIRANT_PHOTO_EVENTS, {
    variables: { aspirantId },
    onResync,
    onData: (event) => {
      const aspirant = event.onAspirantEvent?.aspirant;
      if (aspirant?.id === aspirantId) client.cache.writeFragment({ fragment: ASPIRANT_PHOTOS_FIELDS, data: aspirant });
    },
  });
  const [open, setOpen] = useState<number | null>(null);
  const photos = data?.aspirant?.photos ?? [];
  return (
    <section className="panel__section" aria-labelledby="photos-title">
      <h3 id="photos-title">Photos ({photos.length})</h3>
      {error && !data && <ErrorNotice error={error} />}
      {data && photos.length === 0 && <p className="panel__status">No photos yet.</p>}
      <ul className="gallery">
        {photos.map((photo, index) => (
          <li key={photo.id}>
            <button type="button" className="gallery__item" onClick={() => setOpen(index)} aria-label={`${kindLabels[photo.kind]}, ${fullDateTime(photo.createdAt)}`}>
              <img src={photo.thumbnailUrl} alt="" loading="lazy" />
              <span className="gallery__kind">{kindLabels[photo.kind]}</span>
            </button>
          </li>
        ))}
      </ul>
      {open !== null && (
        <Lightbox
          images={photos.map((photo) => ({ url: photo.url, alt: `${kindLabels[photo.kind]} photo` }))}
          index={open}
          onIndexChange={setOpen}
          onClose={() => setOpen(null)}
        />
      )}
    </section>
  );
}
