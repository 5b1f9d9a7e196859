/**
 * How every simulator seeds an object (simulators/README.md, "Seeding"). A seeder is made once per
 * object by a factory, `<object>Seeder(ctx, …)`, from the simulator's SeedContext (the seed, the
 * universe's size, the account's users). At start the store hands it the object's empty table to
 * append the seeded rows to (ids, timestamps, flags, no values); afterwards every read asks it for a
 * row's seeded values, recomputed from the seed each time, so a million records cost a few bytes each
 * and two simulators started with the same seed and scale serve identical data.
 */
export interface Seeder<Table, Values> {
  /** Appends the object's seeded rows to its empty table. */
  seed(table: Table): void;
  /** The seeded values of a row (a pure function of the seed and the row). */
  values(table: Table, slot: number): Values;
}
