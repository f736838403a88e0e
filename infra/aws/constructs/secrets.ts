import { RemovalPolicy, SecretValue, Validations } from 'aws-cdk-lib';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import { Construct } from 'constructs';

export interface ProviderSecretsProps {
  readonly removalPolicy: RemovalPolicy;
}

/**
 * The WhatsApp providers' credentials. Deploy creates them with empty fields (and a generated Meta verify
 * token, which is ours to choose); an operator fills them in (README.md, "Deploy to AWS"). Only the webhook and
 * processor Lambdas may read them, once per cold start (functions/shared/lambdaRuntime.ts `withProviderSecrets`).
 */
export class ProviderSecrets extends Construct {
  readonly twilio: secretsmanager.Secret;
  readonly meta: secretsmanager.Secret;

  constructor(scope: Construct, id: string, props: ProviderSecretsProps) {
    super(scope, id);

    this.twilio = new secretsmanager.Secret(this, 'Twilio', {
      description: 'Twilio WhatsApp credentials: {"accountSid","authToken","senderNumber"}',
      // Empty placeholders, not secrets: the operator puts the real values in after deploy.
      secretObjectValue: { accountSid: SecretValue.unsafePlainText(''), authToken: SecretValue.unsafePlainText(''), senderNumber: SecretValue.unsafePlainText('') },
      removalPolicy: props.removalPolicy,
    });
    this.meta = new secretsmanager.Secret(this, 'Meta', {
      description: 'Meta WhatsApp Cloud API credentials: {"appSecret","accessToken","phoneNumberId","verifyToken"}',
      generateSecretString: {
        secretStringTemplate: JSON.stringify({ appSecret: '', accessToken: '', phoneNumberId: '' }),
        generateStringKey: 'verifyToken',
        excludePunctuation: true,
        passwordLength: 40,
      },
      removalPolicy: props.removalPolicy,
    });

    for (const secret of [this.twilio, this.meta]) {
      Validations.of(secret).acknowledge({
        id: 'AwsSolutions-SMG4',
        reason: "Third-party credentials: they are rotated in the provider's console, then stored here; no Lambda can rotate them.",
      });
    }
  }
}
