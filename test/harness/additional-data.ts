import { ExternalSecretsProxy } from 'n8n-core';
import type { ExecutionLifecycleHooks } from 'n8n-core';
import type { IWorkflowExecuteAdditionalData } from 'n8n-workflow';
import { UnexpectedError } from 'n8n-workflow';

import type { HarnessCredentialsHelper } from './credentials';

let executionCounter = 0;

/** A fresh execution id per run, so binary files of different runs land in different folders. */
export const nextExecutionId = () => `harness-${process.pid}-${++executionCounter}`;

const unsupported = (what: string) => () => {
	throw new UnexpectedError(`${what} is not available in the test harness`);
};

/**
 * What the engine reads from `additionalData` during a run. The cli builds this in
 * WorkflowExecuteAdditionalData.getBase(); only the credentials helper and hooks carry behaviour.
 */
export function makeAdditionalData(
	credentialsHelper: HarnessCredentialsHelper,
	hooks?: ExecutionLifecycleHooks,
	executionId = nextExecutionId(),
): IWorkflowExecuteAdditionalData {
	const base = 'http://localhost:5678';
	return {
		credentialsHelper,
		hooks,
		executionId,
		userId: 'harness-user',
		workflowId: 'harness-workflow',
		variables: {},
		currentNodeExecutionIndex: 0,
		restApiUrl: `${base}/rest`,
		instanceBaseUrl: base,
		formBaseUrl: `${base}/form`,
		formWaitingBaseUrl: `${base}/form-waiting`,
		formTestBaseUrl: `${base}/form-test`,
		webhookBaseUrl: `${base}/webhook`,
		webhookWaitingBaseUrl: `${base}/webhook-waiting`,
		webhookTestBaseUrl: `${base}/webhook-test`,
		mcpBaseUrl: `${base}/mcp`,
		mcpTestBaseUrl: `${base}/mcp-test`,
		externalSecretsProxy: new ExternalSecretsProxy(),
		executeWorkflow: unsupported('executeWorkflow'),
		getRunExecutionData: async () => undefined,
		getRuntimeCredential: async () => undefined,
		logAiEvent: () => {},
		startRunnerTask: unsupported('startRunnerTask'),
	} as IWorkflowExecuteAdditionalData;
}
