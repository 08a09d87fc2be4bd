/** What several Directory operations share: the URL of one directory and its check. */
import { pathParam } from '../../helpers/routedOperation';
import { requireId } from '../../helpers/validation';

export const DIRECTORY_URL = `=/api/v1/beta/directories/${pathParam('directoryId')}`;

export const requireDirectory = requireId('directoryId', 'Directory');
