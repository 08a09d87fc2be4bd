/**
 * The package's API objects (nodes/LlamaCloud/helpers/interfaces.ts) against the official
 * SDK's response types: `npm run typecheck` fails when a response of the SDK does not fit the
 * object the package reads it as (a field we require that the SDK lacks, a different type).
 */
import type {
	DirectoryCreateResponse,
	DirectoryGetResponse,
	DirectoryListResponse,
	DirectoryUpdateResponse,
} from '@llamaindex/llama-cloud/resources/beta/directories/directories';
import type {
	FileAddResponse,
	FileGetResponse,
	FileListResponse,
	FileUpdateResponse,
	FileUploadResponse,
} from '@llamaindex/llama-cloud/resources/beta/directories/files';
import type {
	IndexCreateResponse,
	IndexGetResponse,
	IndexListResponse,
} from '@llamaindex/llama-cloud/resources/beta/indexes';
import type { PaginatedCursorResponse } from '@llamaindex/llama-cloud/core/pagination';
import type { IDataObject } from 'n8n-workflow';

import type {
	Directory,
	DirectoryFile,
	Index,
	ListPage,
} from '../../nodes/LlamaCloud/helpers/interfaces';

type Fits<Sub, Super> = [Sub] extends [Super] ? true : false;
/** Compiles only when T is `true`. */
type Expect<T extends true> = T;

type SdkFitsOurs = [
	Expect<Fits<DirectoryCreateResponse, Directory>>,
	Expect<Fits<DirectoryGetResponse, Directory>>,
	Expect<Fits<DirectoryListResponse, Directory>>,
	Expect<Fits<DirectoryUpdateResponse, Directory>>,
	Expect<Fits<FileAddResponse, DirectoryFile>>,
	Expect<Fits<FileGetResponse, DirectoryFile>>,
	Expect<Fits<FileListResponse, DirectoryFile>>,
	Expect<Fits<FileUpdateResponse, DirectoryFile>>,
	Expect<Fits<FileUploadResponse, DirectoryFile>>,
	Expect<Fits<IndexCreateResponse, Index>>,
	Expect<Fits<IndexGetResponse, Index>>,
	Expect<Fits<IndexListResponse, Index>>,
	Expect<Fits<PaginatedCursorResponse<DirectoryListResponse>, ListPage<Directory>>>,
	Expect<Fits<PaginatedCursorResponse<FileListResponse>, ListPage<DirectoryFile>>>,
	Expect<Fits<PaginatedCursorResponse<IndexListResponse>, ListPage<Index>>>,
];

/** Not vacuous: the objects require what the spec requires, and fit n8n's item JSON. */
type OursAreStrict = [
	Expect<Fits<Fits<{ id: string }, Directory>, false>>,
	Expect<Fits<Fits<{ id: string; display_name: string }, DirectoryFile>, false>>,
	Expect<Fits<Fits<{ id: string; name: string }, Index>, false>>,
	Expect<Fits<Fits<{ next_page_token: string }, ListPage<Directory>>, false>>,
	Expect<Fits<Directory, IDataObject>>,
	Expect<Fits<DirectoryFile, IDataObject>>,
	Expect<Fits<Index, IDataObject>>,
];

// The checks are the types above: this file compiling (npm run typecheck) is the test. At run
// time there is only the count of checks left to see.
test('the SDK response types fit the package’s API objects (checked by npm run typecheck)', () => {
	const sdkChecks: SdkFitsOurs['length'] = 15;
	const strictnessChecks: OursAreStrict['length'] = 7;
	expect(sdkChecks + strictnessChecks).toBe(22);
});
