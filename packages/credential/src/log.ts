// The credential's log: @azure/logger's levels, silenced as a whole when `loggingEnabled` is false.
import { logger } from "./logger.js";

export interface Log {
  error(message: string): void;
  warning(message: string): void;
  info(message: string): void;
  verbose(message: string): void;
}

const silent: Log = {
  error: () => undefined,
  warning: () => undefined,
  info: () => undefined,
  verbose: () => undefined,
};

export function createLog(enabled: boolean): Log {
  if (!enabled) return silent;
  return {
    error: (message) => {
      logger.error(message);
    },
    warning: (message) => {
      logger.warning(message);
    },
    info: (message) => {
      logger.info(message);
    },
    verbose: (message) => {
      logger.verbose(message);
    },
  };
}
