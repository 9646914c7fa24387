// @azure/identity reads process.env, at construction and at getToken: tests that run it in-process set the pod's
// variables for the duration of one call and put back what was there.

export async function withProcessEnv<T>(
  env: Record<string, string | undefined>,
  run: () => Promise<T>,
): Promise<T> {
  const saved = Object.fromEntries(Object.keys(env).map((name) => [name, process.env[name]]));
  const set = (values: Record<string, string | undefined>) => {
    for (const [name, value] of Object.entries(values)) {
      if (value === undefined) Reflect.deleteProperty(process.env, name);
      else process.env[name] = value;
    }
  };
  set(env);
  try {
    return await run();
  } finally {
    set(saved);
  }
}
