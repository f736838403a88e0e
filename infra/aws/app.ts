/** The CDK app: `cd infra/aws && npx cdk synth` (or `npm run cdk:synth` from the repository root). */
import { App } from 'aws-cdk-lib';
import { defineApp } from './defineApp.ts';

defineApp(new App());
