/**
 * The one HTTP module of the package, one concern a file:
 * - connection.ts: credential type, regions and base URL, scope
 * - path.ts: IDs percent-encoded into paths; paths an ID would reroute refused
 * - request.ts: one programmatic call (`apiRequest`)
 * - pagination.ts: cursor lists, programmatic (`paginate`) and routed (`sendListWithRetries`)
 * - routing.ts: the hooks every routed operation gets (checks, error mapping, retries)
 * - retry.ts: the retry policy, backoff and the retry loop
 * - errors.ts: the errors users see, redacted
 * Everything outside this folder imports from here.
 */
export {
	appProjectUrl,
	BASE_URL_EXPRESSION,
	checkBaseUrl,
	checkScope,
	connection,
	CREDENTIAL_TEST_URL_EXPRESSION,
	CREDENTIAL_TYPE,
	CUSTOM_REGION,
	REGION_BASE_URLS,
	REGIONS,
	type RequestContext,
	resolveBaseUrl,
	SCOPE_QUERY_EXPRESSIONS,
	scopeQuery,
} from './connection';
export { describeErrorBody, errorItem, notFoundError, redact } from './errors';
export { LISTING_PAGE_SIZE, paginate, sendListWithRetries } from './pagination';
export { apiPath, unsafePathSegment } from './path';
export { checkPage, type Expected } from './response';
export { type ApiRequest, apiRequest } from './request';
export {
	backoffMs,
	DEFAULT_RETRY_POLICY,
	effectiveTimeoutMs,
	followsPossiblyAppliedAttempt,
	retryAfterMs,
	type RetryOptions,
	type RetryPolicy,
} from './retry';
export {
	checkRoutedResponse,
	guardHook,
	guardPagination,
	pairWith,
	prepareRoutedRequest,
	routedAttempt,
	type RoutedReconcile,
	sendWithRetries,
	sendWithRetriesReconciled,
} from './routing';
