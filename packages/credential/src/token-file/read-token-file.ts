// Reads the projected service-account token. Opened through the path each time, so kubelet's `..data`
// symlink swap is followed atomically; checked on the open descriptor, so nothing changes between check and read.
import { constants } from "node:fs";
import { open } from "node:fs/promises";
import {
  isTokenFileError,
  tokenFileError,
  type TokenFileError,
  type TokenFileUnavailableError,
} from "../errors/errors.js";

export const MAX_TOKEN_FILE_BYTES = 64 * 1024;
const JWT_SHAPE = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/;

export async function readTokenFile(path: string): Promise<string> {
  let handle;
  try {
    // O_NONBLOCK: opening a named pipe must not wait for a writer; regular files ignore the flag.
    handle = await open(path, constants.O_RDONLY | constants.O_NONBLOCK);
  } catch (error) {
    throw openError(path, error);
  }
  try {
    const info = await handle.stat();
    if (!info.isFile()) {
      throw tokenFileError(
        "ERR_TOKEN_FILE_NOT_A_FILE",
        path,
        `The federated token file ${path} is ${info.isDirectory() ? "a directory" : "not a regular file"}; point AZURE_FEDERATED_TOKEN_FILE at the token file inside the projected volume.`,
      );
    }
    if (info.size > MAX_TOKEN_FILE_BYTES) throw tooLarge(path, info.size);
    // Read one byte past the limit: stat can lag behind a file that is still growing.
    const buffer = Buffer.alloc(MAX_TOKEN_FILE_BYTES + 1);
    const { bytesRead } = await handle.read(buffer, 0, buffer.length, 0);
    if (bytesRead > MAX_TOKEN_FILE_BYTES) throw tooLarge(path, bytesRead);
    const token = buffer.subarray(0, bytesRead).toString("utf8").trim();
    if (token === "") {
      throw tokenFileError(
        "ERR_TOKEN_FILE_EMPTY",
        path,
        `The federated token file ${path} is empty; kubelet writes it when the pod starts, check the projected volume.`,
      );
    }
    if (!JWT_SHAPE.test(token)) {
      throw tokenFileError(
        "ERR_TOKEN_FILE_NOT_A_JWT",
        path,
        `The federated token file ${path} does not hold a JWT (${bytesRead} bytes, not three base64url parts); it should be a projected service-account token.`,
      );
    }
    return token;
  } catch (error) {
    if (isTokenFileError(error)) throw error;
    throw tokenFileError(
      "ERR_TOKEN_FILE_UNREADABLE",
      path,
      `Could not read the federated token file ${path}: ${code(error)}.`,
      { cause: error },
    );
  } finally {
    await handle.close();
  }
}

function openError(path: string, error: unknown): TokenFileUnavailableError | TokenFileError {
  switch (code(error)) {
    case "ENOENT":
    case "ELOOP":
    case "ENOTDIR":
      return tokenFileError(
        "ERR_TOKEN_FILE_NOT_FOUND",
        path,
        `The federated token file ${path} does not exist (or is a dangling link); check AZURE_FEDERATED_TOKEN_FILE and that the pod is labelled azure.workload.identity/use: "true".`,
        { cause: error },
      );
    case "EACCES":
    case "EPERM":
      return tokenFileError(
        "ERR_TOKEN_FILE_PERMISSION_DENIED",
        path,
        `Permission denied reading the federated token file ${path} as uid ${String(process.getuid?.() ?? "?")}; set the pod's securityContext.fsGroup so the container user can read the projected token.`,
        { cause: error },
      );
    default:
      return tokenFileError(
        "ERR_TOKEN_FILE_UNREADABLE",
        path,
        `Could not open the federated token file ${path}: ${code(error)}.`,
        { cause: error },
      );
  }
}

function tooLarge(path: string, size: number): TokenFileUnavailableError | TokenFileError {
  return tokenFileError(
    "ERR_TOKEN_FILE_TOO_LARGE",
    path,
    `The federated token file ${path} is ${size} bytes, over the ${MAX_TOKEN_FILE_BYTES}-byte limit for a service-account token; check AZURE_FEDERATED_TOKEN_FILE.`,
  );
}

function code(error: unknown): string {
  return (error as NodeJS.ErrnoException | undefined)?.code ?? String(error);
}
