/** What every instrument module provides to the Lab shell (lab/main.ts). */
export interface Instrument {
  /** URL fragment and DOM id suffix, e.g. 'ratings' (#ratings). */
  readonly id: string;
  /** Tab title. */
  readonly title: string;
  /** Build the instrument inside `container`; may be async (data to fetch). */
  mount(container: HTMLElement): void | Promise<void>;
}
