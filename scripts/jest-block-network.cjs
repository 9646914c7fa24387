// Tests may reach loopback only: a connection anywhere else fails loudly instead of hanging.
const net = require("node:net");

const LOOPBACK = /^(127\.|::1$|::ffff:127\.|localhost$)/;
const originalConnect = net.Socket.prototype.connect;

net.Socket.prototype.connect = function connect(...args) {
  const first = args[0];
  const options = typeof first === "object" && first !== null ? first : { port: first, host: args[1] };
  const host = options.host ?? "localhost";
  if (options.path === undefined && !LOOPBACK.test(String(host))) {
    throw new Error(`Test tried to reach ${host}:${options.port}; only loopback is allowed in tests.`);
  }
  return originalConnect.apply(this, args);
};
