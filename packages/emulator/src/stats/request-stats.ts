// Counts every request the emulator answers, by host, path, endpoint and status.

export interface RequestRecord {
  host: string;
  path: string;
  endpoint: string;
  /** 0 when the connection was reset or closed before an answer. */
  status: number;
  count: number;
}

export type RequestFilter = Partial<Omit<RequestRecord, "count">>;

export class RequestStats {
  private readonly counts = new Map<string, RequestRecord>();

  record(entry: Omit<RequestRecord, "count">): void {
    const key = `${entry.host} ${entry.path} ${entry.endpoint} ${entry.status}`;
    const existing = this.counts.get(key);
    if (existing) existing.count += 1;
    else this.counts.set(key, { ...entry, count: 1 });
  }

  /** Sum of the counts of the records that match every given field. */
  count(filter: RequestFilter = {}): number {
    let total = 0;
    for (const record of this.counts.values()) {
      if (matches(record, filter)) total += record.count;
    }
    return total;
  }

  snapshot(): RequestRecord[] {
    return [...this.counts.values()].map((r) => ({ ...r }));
  }

  reset(): void {
    this.counts.clear();
  }
}

function matches(record: RequestRecord, filter: RequestFilter): boolean {
  return (Object.keys(filter) as (keyof RequestFilter)[]).every((k) => record[k] === filter[k]);
}
