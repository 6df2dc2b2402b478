/**
 * Unit project setup: each test file starts with no registered secrets, as a process does. The
 * unit project shares one module graph per worker (`isolate: false`), and a secret an earlier
 * file registered (a test token holding "127.0.0.1", say) would otherwise redact that text here.
 */
import { forgetRegisteredSecrets } from "../../src/http/redact.js";

forgetRegisteredSecrets();
