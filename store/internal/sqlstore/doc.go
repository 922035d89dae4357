// Package sqlstore holds what the SQL store implementations share: the
// generation notifier behind Store.Subscribe, validation of records and
// events, the SQL text of record and event queries, and the loading of
// embedded migrations. It holds no driver code; each store speaks its own
// dialect through the placeholder function it passes in.
package sqlstore
