// Who the browser tests are: the first administrator, created by the server
// at its first start from the password file the config hands it, and the
// API token it is given for the tests' own set-up calls.
import * as path from "node:path";
import * as os from "node:os";

export const ADMIN_USER = "admin";
export const ADMIN_PASSWORD = "e2e admin password, long enough";
export const API_TOKEN = "isc_e2e_token_0123456789abcdef0123456789abcdef";
/** The signed-in admin's browser state (the session cookie), written by global-setup. */
export const ADMIN_STATE = path.join(os.tmpdir(), `isc-e2e-admin-state-${process.env.E2E_PORT ?? 3300}.json`);
