package catalog

import "encoding/json"

// The inputs and outputs of the Catalog API. Field names are the members
// of AWS's service model (marketplace-catalog 2018-09-17); timestamps are
// ISO 8601 strings (2018-02-27T13:45:22Z) as the model declares them.

// Tag is a resource tag.
type Tag struct {
	Key   string
	Value string
}

// Entity names the entity of a change: its type with version and, unless
// the change creates it, its identifier (or a reference
// "$ChangeName.Entity.Identifier" to an earlier change's entity).
type Entity struct {
	Type       string
	Identifier string
}

// Change is one change of a change set.
type Change struct {
	ChangeType string
	Entity     Entity
	EntityTags []Tag
	// Details is the change's details as a JSON string; DetailsDocument
	// the same as a JSON document. A change gives at most one.
	Details         string
	DetailsDocument json.RawMessage
	ChangeName      string
}

// StartChangeSetInput is the input of StartChangeSet.
type StartChangeSetInput struct {
	Catalog            string
	ChangeSet          []Change
	ChangeSetName      string
	ClientRequestToken string
	ChangeSetTags      []Tag
	Intent             string
}

// StartChangeSetOutput is the output of StartChangeSet.
type StartChangeSetOutput struct {
	ChangeSetId  string
	ChangeSetArn string
}

// DescribeChangeSetInput is the input of DescribeChangeSet.
type DescribeChangeSetInput struct {
	Catalog     string
	ChangeSetId string
}

// ChangeSummary is one change as DescribeChangeSet reports it.
type ChangeSummary struct {
	ChangeType      string
	Entity          Entity
	Details         string
	DetailsDocument json.RawMessage
	ErrorDetailList []ErrorDetail
	ChangeName      string
}

// DescribeChangeSetOutput is the output of DescribeChangeSet.
type DescribeChangeSetOutput struct {
	ChangeSetId        string
	ChangeSetArn       string
	ChangeSetName      string
	Intent             string
	StartTime          string
	EndTime            string
	Status             string
	FailureCode        string
	FailureDescription string
	ChangeSet          []ChangeSummary
}

// Filter is one filter of ListChangeSets or ListEntities.
type Filter struct {
	Name      string
	ValueList []string
}

// Sort orders a list.
type Sort struct {
	SortBy    string
	SortOrder string
}

// ListChangeSetsInput is the input of ListChangeSets.
type ListChangeSetsInput struct {
	Catalog    string
	FilterList []Filter
	Sort       *Sort
	MaxResults *int32
	NextToken  string
}

// ChangeSetSummaryListItem is one change set of ListChangeSets.
type ChangeSetSummaryListItem struct {
	ChangeSetId   string
	ChangeSetArn  string
	ChangeSetName string
	StartTime     string
	EndTime       string
	Status        string
	EntityIdList  []string
	FailureCode   string
}

// ListChangeSetsOutput is the output of ListChangeSets.
type ListChangeSetsOutput struct {
	ChangeSetSummaryList []ChangeSetSummaryListItem
	NextToken            string
}

// CancelChangeSetInput is the input of CancelChangeSet.
type CancelChangeSetInput struct {
	Catalog     string
	ChangeSetId string
}

// CancelChangeSetOutput is the output of CancelChangeSet.
type CancelChangeSetOutput struct {
	ChangeSetId  string
	ChangeSetArn string
}

// DescribeEntityInput is the input of DescribeEntity.
type DescribeEntityInput struct {
	Catalog  string
	EntityId string
}

// DescribeEntityOutput is the output of DescribeEntity.
type DescribeEntityOutput struct {
	EntityType       string
	EntityIdentifier string
	EntityArn        string
	LastModifiedDate string
	Details          string
	DetailsDocument  json.RawMessage
}

// ValueListFilter filters on a list of values.
type ValueListFilter struct {
	ValueList []string
}

// TitleFilter filters on a title: one of the values, or a wildcard that
// the title contains.
type TitleFilter struct {
	ValueList     []string
	WildCardValue string
}

// DateRange bounds a date filter; either bound may be empty.
type DateRange struct {
	AfterValue  string
	BeforeValue string
}

// DateFilter filters on a date.
type DateFilter struct {
	DateRange *DateRange
}

// ProductFilters are the filters of the product entity types.
type ProductFilters struct {
	EntityId         *ValueListFilter
	ProductTitle     *TitleFilter
	Visibility       *ValueListFilter
	LastModifiedDate *DateFilter
}

// OfferFilters are the filters of offers.
type OfferFilters struct {
	EntityId         *ValueListFilter
	Name             *TitleFilter
	ProductId        *ValueListFilter
	State            *ValueListFilter
	ReleaseDate      *DateFilter
	LastModifiedDate *DateFilter
}

// EntityTypeFilters holds the filters of one entity type.
type EntityTypeFilters struct {
	SaaSProductFilters      *ProductFilters
	AmiProductFilters       *ProductFilters
	ContainerProductFilters *ProductFilters
	OfferFilters            *OfferFilters
}

// EntityTypeSort holds the sort of one entity type.
type EntityTypeSort struct {
	SaaSProductSort      *Sort
	AmiProductSort       *Sort
	ContainerProductSort *Sort
	OfferSort            *Sort
}

// ListEntitiesInput is the input of ListEntities.
type ListEntitiesInput struct {
	Catalog           string
	EntityType        string
	FilterList        []Filter
	Sort              *Sort
	NextToken         string
	MaxResults        *int32
	OwnershipType     string
	EntityTypeFilters *EntityTypeFilters
	EntityTypeSort    *EntityTypeSort
}

// ProductSummary summarizes a product in ListEntities.
type ProductSummary struct {
	ProductTitle string
	Visibility   string
}

// OfferSummary summarizes an offer in ListEntities.
type OfferSummary struct {
	Name        string
	ProductId   string
	ReleaseDate string
	State       string
	Targeting   []string
}

// EntitySummary is one entity of ListEntities.
type EntitySummary struct {
	Name                    string
	EntityType              string
	EntityId                string
	EntityArn               string
	LastModifiedDate        string
	Visibility              string
	SaaSProductSummary      *ProductSummary
	AmiProductSummary       *ProductSummary
	ContainerProductSummary *ProductSummary
	OfferSummary            *OfferSummary
}

// ListEntitiesOutput is the output of ListEntities.
type ListEntitiesOutput struct {
	EntitySummaryList []EntitySummary
	NextToken         string
}

// EntityRequest names one entity of BatchDescribeEntities.
type EntityRequest struct {
	Catalog  string
	EntityId string
}

// BatchDescribeEntitiesInput is the input of BatchDescribeEntities.
type BatchDescribeEntitiesInput struct {
	EntityRequestList []EntityRequest
}

// EntityDetail is one entity of BatchDescribeEntities.
type EntityDetail struct {
	EntityType       string
	EntityArn        string
	EntityIdentifier string
	LastModifiedDate string
	DetailsDocument  json.RawMessage
}

// BatchDescribeErrorDetail is why BatchDescribeEntities could not describe
// an entity.
type BatchDescribeErrorDetail struct {
	ErrorCode    string
	ErrorMessage string
}

// BatchDescribeEntitiesOutput is the output of BatchDescribeEntities.
type BatchDescribeEntitiesOutput struct {
	EntityDetails map[string]EntityDetail
	Errors        map[string]BatchDescribeErrorDetail
}

// TagResourceInput is the input of TagResource.
type TagResourceInput struct {
	ResourceArn string
	Tags        []Tag
}

// TagResourceOutput is the output of TagResource.
type TagResourceOutput struct{}

// UntagResourceInput is the input of UntagResource.
type UntagResourceInput struct {
	ResourceArn string
	TagKeys     []string
}

// UntagResourceOutput is the output of UntagResource.
type UntagResourceOutput struct{}

// ListTagsForResourceInput is the input of ListTagsForResource.
type ListTagsForResourceInput struct {
	ResourceArn string
}

// ListTagsForResourceOutput is the output of ListTagsForResource.
type ListTagsForResourceOutput struct {
	ResourceArn string
	Tags        []Tag
}

// PutResourcePolicyInput is the input of PutResourcePolicy.
type PutResourcePolicyInput struct {
	ResourceArn string
	Policy      string
}

// PutResourcePolicyOutput is the output of PutResourcePolicy.
type PutResourcePolicyOutput struct{}

// GetResourcePolicyInput is the input of GetResourcePolicy.
type GetResourcePolicyInput struct {
	ResourceArn string
}

// GetResourcePolicyOutput is the output of GetResourcePolicy.
type GetResourcePolicyOutput struct {
	Policy string
}

// DeleteResourcePolicyInput is the input of DeleteResourcePolicy.
type DeleteResourcePolicyInput struct {
	ResourceArn string
}

// DeleteResourcePolicyOutput is the output of DeleteResourcePolicy.
type DeleteResourcePolicyOutput struct{}
