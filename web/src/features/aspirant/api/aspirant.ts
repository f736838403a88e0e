import { gql, type TypedDocumentNode } from '@apollo/client';
import type {
  AspirantDetailsFragment,
  AspirantEventsSubscription,
  AspirantEventsSubscriptionVariables,
  AspirantPanelQuery,
  AspirantPanelQueryVariables,
  RecruitersQuery,
  RecruitersQueryVariables,
} from '../../../generated/operations.ts';

/** Everything the aspirant panel shows; live events carry the same fields. */
export const ASPIRANT_DETAILS: TypedDocumentNode<AspirantDetailsFragment> = gql`
  fragment AspirantDetails on Aspirant {
    id
    displayName
    fullName
    whatsappName
    phone
    status
    allowedTransitions
    language
    profile {
      city
      heightCm
      bustCm
      waistCm
      hipsCm
      shoeSizeEu
      experience
      portfolioUrl
      instagram
    }
    shiftPreferences {
      day
      window
    }
    optedOut
    optedOutAt
    dateOfBirth
    isMinor
    guardianConsentAt
    assignee {
      id
      name
    }
    tags
    notes {
      id
      body
      createdAt
      author {
        id
        name
      }
    }
    formLink {
      id
      status
      expiresAt
      openedAt
      submittedAt
    }
    formSubmission {
      id
      submittedAt
    }
    createdAt
    updatedAt
  }
`;

export const ASPIRANT_PANEL: TypedDocumentNode<AspirantPanelQuery, AspirantPanelQueryVariables> = gql`
  query AspirantPanel($id: ID!) {
    aspirant(id: $id) {
      ...AspirantDetails
    }
  }
  ${ASPIRANT_DETAILS}
`;

export const ASPIRANT_EVENTS: TypedDocumentNode<AspirantEventsSubscription, AspirantEventsSubscriptionVariables> = gql`
  subscription AspirantEvents($aspirantId: ID) {
    onAspirantEvent(aspirantId: $aspirantId) {
      aspirantId
      aspirant {
        ...AspirantDetails
      }
    }
  }
  ${ASPIRANT_DETAILS}
`;

export const RECRUITERS: TypedDocumentNode<RecruitersQuery, RecruitersQueryVariables> = gql`
  query Recruiters {
    recruiters {
      id
      name
      active
    }
  }
`;
