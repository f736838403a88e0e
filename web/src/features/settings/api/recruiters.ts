import { gql, type TypedDocumentNode } from '@apollo/client';
import type {
  CreateRecruiterMutation,
  CreateRecruiterMutationVariables,
  SetRecruiterActiveMutation,
  SetRecruiterActiveMutationVariables,
  SettingsRecruitersQuery,
  SettingsRecruitersQueryVariables,
  SettingsViewerQuery,
  SettingsViewerQueryVariables,
} from '../../../generated/operations.ts';

const RECRUITER_FIELDS = gql`
  fragment SettingsRecruiterFields on Recruiter {
    id
    name
    email
    role
    active
    createdAt
  }
`;

export const SETTINGS_RECRUITERS: TypedDocumentNode<SettingsRecruitersQuery, SettingsRecruitersQueryVariables> = gql`
  query SettingsRecruiters {
    recruiters {
      ...SettingsRecruiterFields
    }
  }
  ${RECRUITER_FIELDS}
`;

/** Who is looking: an admin cannot deactivate themselves, so their own row offers no button. */
export const SETTINGS_VIEWER: TypedDocumentNode<SettingsViewerQuery, SettingsViewerQueryVariables> = gql`
  query SettingsViewer {
    me {
      id
    }
  }
`;

export const CREATE_RECRUITER: TypedDocumentNode<CreateRecruiterMutation, CreateRecruiterMutationVariables> = gql`
  mutation CreateRecruiter($input: CreateRecruiterInput!) {
    createRecruiter(input: $input) {
      recruiter {
        ...SettingsRecruiterFields
      }
      temporaryPassword
    }
  }
  ${RECRUITER_FIELDS}
`;

export const SET_RECRUITER_ACTIVE: TypedDocumentNode<SetRecruiterActiveMutation, SetRecruiterActiveMutationVariables> = gql`
  mutation SetRecruiterActive($id: ID!, $active: Boolean!) {
    setRecruiterActive(id: $id, active: $active) {
      ...SettingsRecruiterFields
    }
  }
  ${RECRUITER_FIELDS}
`;
