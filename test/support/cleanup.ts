// After each test file: remove the harness's binary data folder. Its `exit` handler alone is
// not enough, since jest may end a worker without running exit handlers.
import { removeBinaryData } from '../../harness/engine/binary';

afterAll(() => removeBinaryData());
