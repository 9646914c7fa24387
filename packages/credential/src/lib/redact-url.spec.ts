import { redactUrl } from "./redact-url.js";

describe("redactUrl", () => {
  it.each([
    ["http://user:s3cret@proxy.corp:3128", '"http://***:***@proxy.corp:3128/"'],
    ["http://token@proxy.corp:3128", '"http://***@proxy.corp:3128/"'],
    ["http://proxy.corp:3128", '"http://proxy.corp:3128/"'],
    ["https://login.example/?sig=s3cret#frag", '"https://login.example/?***#***"'],
    ["https://login.example/?", '"https://login.example/?***"'],
    ["https://user:p/ss@login.example/", "(a value not shown: it may hold credentials)"],
    ["http://user:s3cret@[bad", "(a value not shown: it may hold credentials)"],
    ["user:s3cret@login.example", "(a value not shown: it may hold credentials)"],
    ["not a url", '"not a url"'],
    ["bad\nline", '"bad\\nline"'],
  ])("shows %j as %s", (value, expected) => {
    expect(redactUrl(value)).toBe(expected);
    expect(redactUrl(value)).not.toContain("s3cret");
  });
});
