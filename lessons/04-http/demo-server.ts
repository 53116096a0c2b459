import { parseArgs } from "node:util";
import { calculator } from "../../shared/calculator.js";
import { createHttpRpcServer } from "./server.js";

// The calculator over plain HTTP, both ways: GET /add?a=1&b=2 and POST /rpc.
// npm run demo 4 server                 (then, in another terminal: npm run demo 4 client)
// npm run demo 4 server -- --port 9000

const { values } = parseArgs({ options: { port: { type: "string", default: "8004" } } });

const server = createHttpRpcServer(calculator);
server.on("request", (request) => {
  console.log(
    `${request.method} ${request.url}  (connection from port ${request.socket.remotePort})`,
  );
});
server.listen(Number(values.port), "127.0.0.1", () => {
  const url = `http://127.0.0.1:${values.port}`;
  console.log(`calculator over HTTP on ${url}`);
  console.log(`  curl '${url}/add?a=1&b=2'`);
  console.log(
    `  curl -H 'Content-Type: application/json' -d '{"method":"add","params":[1,2],"id":1}' ${url}/rpc`,
  );
  console.log("Ctrl-C to stop.");
});

process.once("SIGINT", () => {
  server.close();
  server.closeAllConnections();
});
