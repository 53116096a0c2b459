import { describe, expect, it } from "vitest";
import { NotificationFilter, type Candidate } from "./filter.js";

const notification = (overrides: Partial<Candidate> = {}): Candidate => ({
  context: { project_id: "p-42", roles: ["admin"] },
  publisherId: "compute.host1",
  eventType: "compute.instance.create.end",
  metadata: { message_id: "m-1", timestamp: "2024-05-01 12:00:00.000000" },
  payload: { state: "active", flavor: 2 },
  ...overrides,
});

describe("task 2: filter by event type and publisher", () => {
  it("matches everything when it has no rules", () => {
    expect(new NotificationFilter({}).match(notification())).toBe(true);
  });

  it("filters by event type, matching from the start like Python's re.match", () => {
    const filter = new NotificationFilter({ eventType: "compute\\.instance\\." });
    expect(filter.match(notification())).toBe(true);
    expect(filter.match(notification({ eventType: "volume.create.end" }))).toBe(false);
    expect(
      filter.match(notification({ eventType: "nova.compute.instance.x" })),
      "re.match anchors at the start: a match in the middle does not count",
    ).toBe(false);
  });

  it("filters by publisher", () => {
    const filter = new NotificationFilter({ publisherId: "^compute" });
    expect(filter.match(notification())).toBe(true);
    expect(filter.match(notification({ publisherId: "network.host1" }))).toBe(false);
  });

  it("needs every rule to match", () => {
    const filter = new NotificationFilter({ publisherId: "compute", eventType: "volume" });
    expect(filter.match(notification()), "the publisher matches, the event type does not").toBe(
      false,
    );
  });

  it("filters on fields of the context, metadata and payload", () => {
    expect(new NotificationFilter({ payload: { state: "^active$" } }).match(notification())).toBe(
      true,
    );
    expect(new NotificationFilter({ payload: { state: "^error$" } }).match(notification())).toBe(
      false,
    );
    expect(new NotificationFilter({ context: { project_id: "p-4" } }).match(notification())).toBe(
      true,
    );
    expect(
      new NotificationFilter({ metadata: { timestamp: "2024-05" } }).match(notification()),
    ).toBe(true);
  });

  it("does not match a field that is missing or not a string", () => {
    expect(
      new NotificationFilter({ payload: { owner: "ada" } }).match(notification()),
      "a missing field does not match",
    ).toBe(false);
    expect(
      new NotificationFilter({ payload: { flavor: "2" } }).match(notification()),
      "2 is a number, not the string '2'",
    ).toBe(false);
    expect(
      new NotificationFilter({ context: { roles: "admin" } }).match(notification()),
      "a list is not a string",
    ).toBe(false);
    expect(
      new NotificationFilter({ eventType: "x" }).match(notification({ eventType: undefined })),
    ).toBe(false);
  });
});
