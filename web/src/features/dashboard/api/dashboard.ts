import { gql, type TypedDocumentNode } from '@apollo/client';
import type { DashboardQuery, DashboardQueryVariables } from '../../../generated/operations.ts';

export const DASHBOARD: TypedDocumentNode<DashboardQuery, DashboardQueryVariables> = gql`
  query Dashboard($range: DateRangeInput!) {
    dashboard(range: $range) {
      from
      to
      funnel {
        stage
        aspirants
      }
      medianFirstResponseSeconds
      medianFirstRecruiterResponseSeconds
      botMessages
      recruiterMessages
      botShare
    }
  }
`;
