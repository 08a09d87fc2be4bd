/** What several Index operations share: the URL of one index and its check. */
import { pathParam } from '../../helpers/routedOperation';
import { requireId } from '../../helpers/validation';

export const INDEX_URL = `=/api/v1/indexes/${pathParam('indexId')}`;

export const requireIndex = requireId('indexId', 'Index');
