import { setupServer } from "msw/node";

/** The network, mocked per test with `server.use(http.get(...))`; anything unhandled fails. */
export const server = setupServer();
