import { DEFAULT_PORT, parseCommandLine } from "./options.js";

it("serves on 127.0.0.1:8000 by default", () => {
  expect(parseCommandLine([])).toEqual({
    ok: true,
    commandLine: { command: "serve", port: DEFAULT_PORT, bind: "127.0.0.1" },
  });
  expect(DEFAULT_PORT).toBe(8000);
});

it("takes --proxy-port and --bind, in either spelling of the value", () => {
  expect(parseCommandLine(["--proxy-port", "9000", "--bind=0.0.0.0"])).toEqual({
    ok: true,
    commandLine: { command: "serve", port: 9000, bind: "0.0.0.0" },
  });
  expect(parseCommandLine(["--proxy-port=0", "--bind", "::1"])).toMatchObject({
    ok: true,
    commandLine: { port: 0, bind: "::1" },
  });
});

it("answers --help before checking anything else", () => {
  expect(parseCommandLine(["--help", "--proxy-port", "nope"])).toEqual({
    ok: true,
    commandLine: { command: "help" },
  });
});

it.each([
  [["--proxy-port", "80a"], /--proxy-port "80a" is not a port number/],
  [["--proxy-port", "65536"], /--proxy-port "65536"/],
  [["--proxy-port", "-1"], /--proxy-port/],
  [["--proxy-port", ""], /--proxy-port "" is not a port number/],
  [["--bind", "localhost"], /--bind "localhost" is not an IP address/],
  [["--probe-timeout", "5"], /--probe-timeout needs --probe/],
  [["--probe", "--probe-timeout", "0"], /--probe-timeout "0" is not a positive number/],
  [["--probe", "--probe-timeout", "soon"], /--probe-timeout "soon"/],
  [["--probe", "--proxy-port", "0"], /--probe needs the proxy's real port/],
  [["--port", "8000"], /Unknown option '--port'/],
  [["serve"], /^takes options only, and got 1 argument without one/],
])("names the problem in %j", (args, problem) => {
  const result = parseCommandLine(args);
  expect(result.ok).toBe(false);
  if (!result.ok) {
    expect(result.problem).toMatch(problem);
    expect(result.problem).not.toContain("\n");
  }
});

it("refuses arguments without their option, never repeating them: one may be a URL with a password", () => {
  const result = parseCommandLine(["--proxy-port", "8001", "http://admin:Sup3rS3cret@127.0.0.1:8000", "x"]);

  expect(result).toEqual({
    ok: false,
    problem:
      "takes options only, and got 2 arguments without one; give each value after its option, e.g. --proxy-port 8000",
  });
});

it("probes 127.0.0.1 for a wildcard bind, the bound address otherwise, for 10 s by default", () => {
  expect(parseCommandLine(["--probe"])).toEqual({
    ok: true,
    commandLine: {
      command: "probe",
      port: 8000,
      probeUrl: "http://127.0.0.1:8000/readyz",
      probeTimeoutMs: 10_000,
    },
  });
  expect(parseCommandLine(["--probe", "--bind", "0.0.0.0", "--proxy-port", "8001"])).toMatchObject({
    commandLine: { probeUrl: "http://127.0.0.1:8001/readyz" },
  });
  expect(parseCommandLine(["--probe", "--bind", "::"])).toMatchObject({
    commandLine: { probeUrl: "http://127.0.0.1:8000/readyz" },
  });
  expect(parseCommandLine(["--probe", "--bind", "::1", "--probe-timeout", "2.5"])).toMatchObject({
    commandLine: { probeUrl: "http://[::1]:8000/readyz", probeTimeoutMs: 2500 },
  });
  expect(parseCommandLine(["--probe", "--bind", "10.1.2.3"])).toMatchObject({
    commandLine: { probeUrl: "http://10.1.2.3:8000/readyz" },
  });
});
