package catalog

// handlers are the change types the catalog serves, by entity type and
// change type.
var handlers = func() map[string]map[string]handler {
	h := map[string]map[string]handler{
		TypeSaaSProduct:               productHandlers(TypeSaaSProduct),
		TypeContainerProduct:          productHandlers(TypeContainerProduct),
		TypeAmiProduct:                productHandlers(TypeAmiProduct),
		TypeOffer:                     offerHandlers(),
		TypeProductProcurementRequest: requestHandlers(),
	}
	for typ, changes := range pmpHandlers() {
		h[typ] = changes
	}
	return h
}()
