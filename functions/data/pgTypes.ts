/**
 * Built-in PostgreSQL type OIDs and names. Their numbers are fixed by PostgreSQL itself, so drivers that
 * report a column's dataTypeID (PGlite, node-postgres) can name its type without asking the catalog.
 */
export const BUILT_IN_TYPE_NAMES: ReadonlyMap<number, string> = new Map([
  [16, 'bool'], [17, 'bytea'], [18, 'char'], [19, 'name'], [20, 'int8'], [21, 'int2'], [23, 'int4'],
  [25, 'text'], [26, 'oid'], [114, 'json'], [142, 'xml'], [199, '_json'], [650, 'cidr'], [700, 'float4'],
  [701, 'float8'], [705, 'unknown'], [790, 'money'], [869, 'inet'], [1000, '_bool'], [1001, '_bytea'],
  [1003, '_name'], [1005, '_int2'], [1007, '_int4'], [1009, '_text'], [1014, '_bpchar'], [1015, '_varchar'],
  [1016, '_int8'], [1021, '_float4'], [1022, '_float8'], [1028, '_oid'], [1042, 'bpchar'], [1043, 'varchar'],
  [1082, 'date'], [1083, 'time'], [1114, 'timestamp'], [1115, '_timestamp'], [1182, '_date'],
  [1184, 'timestamptz'], [1185, '_timestamptz'], [1186, 'interval'], [1231, '_numeric'], [1266, 'timetz'],
  [1700, 'numeric'], [2249, 'record'], [2278, 'void'], [2950, 'uuid'], [2951, '_uuid'], [3802, 'jsonb'],
  [3807, '_jsonb'],
]);

/** The type name for an OID; types created by the database (enums, domains) fall back to text handling. */
export function typeNameForOid(oid: number): string {
  return BUILT_IN_TYPE_NAMES.get(oid) ?? 'text';
}
