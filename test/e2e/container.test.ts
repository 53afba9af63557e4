// End to end: rc boot as a container entry point on a host (rc is a child subreaper): CMD, signals, rc halt, --on-fail, orphans.
import { containerCases } from './container-cases.js';

describe('e2e container: rc boot -- CMD on a host', function () {
  this.timeout(30_000);
  containerCases('host');
});
