import { gql, type TypedDocumentNode } from '@apollo/client';
import type {
  AspirantPhotoEventsSubscription,
  AspirantPhotoEventsSubscriptionVariables,
  AspirantPhotosFragment,
  AspirantPhotosQuery,
  AspirantPhotosQueryVariables,
} from '../../../generated/operations.ts';

export const ASPIRANT_PHOTOS_FIELDS: TypedDocumentNode<AspirantPhotosFragment> = gql`
  fragment AspirantPhotos on Aspirant {
    id
    photos {
      id
      kind
      url
      thumbnailUrl
      width
      height
      createdAt
    }
  }
`;

export const ASPIRANT_PHOTOS: TypedDocumentNode<AspirantPhotosQuery, AspirantPhotosQueryVariables> = gql`
  query AspirantPhotos($id: ID!) {
    aspirant(id: $id) {
      ...AspirantPhotos
    }
  }
  ${ASPIRANT_PHOTOS_FIELDS}
`;

export const ASPIRANT_PHOTO_EVENTS: TypedDocumentNode<AspirantPhotoEventsSubscription, AspirantPhotoEventsSubscriptionVariables> = gql`
  subscription AspirantPhotoEvents($aspirantId: ID) {
    onAspirantEvent(aspirantId: $aspirantId) {
      aspirantId
      aspirant {
        ...AspirantPhotos
      }
    }
  }
  ${ASPIRANT_PHOTOS_FIELDS}
`;
