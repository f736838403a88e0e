import { type BedrockOptions, createBedrockProvider } from './bedrock.ts';
import { createLocalProvider } from './local.ts';
import { LlmError, type LlmProvider } from './provider.ts';

export interface LlmSettings {
  /** LLM_PROVIDER: 'local' (default) or 'bedrock'. */
  readonly provider: 'local' | 'bedrock';
  /** Required for 'bedrock'. */
  readonly bedrock?: BedrockOptions;
}

/**
 * The provider the settings name. Bedrock comes wrapped with the local rules as its fallback: a throttled,
 * slow or malformed answer degrades to the deterministic provider instead of leaving the aspirant unanswered.
 */
export function openLlmProvider(settings: LlmSettings): LlmProvider {
  if (settings.provider === 'local') return createLocalProvider();
  if (settings.bedrock === undefined) throw new TypeError('LLM_PROVIDER=bedrock needs BEDROCK_MODEL_ID');
  return withFallback(createBedrockProvider(settings.bedrock), createLocalProvider());
}

/** `primary`, and `fallback` whenever `primary` throws an LlmError; `via` records both. */
export function withFallback(primary: LlmProvider, fallback: LlmProvider): LlmProvider {
  const guard = async <T extends { via: string }>(run: (provider: LlmProvider) => Promise<T>): Promise<T> => {
    try {
      return await run(primary);
    } catch (error) {
      if (!(error instanceof LlmError)) throw error;
      const result = await run(fallback);
      return { ...result, via: `${fallback.name} (${primary.name} ${error.kind})` };
    }
  };
  return {
    name: `${primary.name}+${fallback.name}`,
    classifyIntent: (request) => guard((provider) => provider.classifyIntent(request)),
    answerFromPassages: (request) => guard((provider) => provider.answerFromPassages(request)),
  };
}
