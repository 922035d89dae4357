package server

import (
	"strings"
	"testing"

	"gatehouse/awsapi"
	"gatehouse/simulator"
)

// FuzzContextEntries feeds arbitrary query bodies to the decoding and
// typing of ContextEntries. Neither may panic; typing must accept or
// refuse with InvalidInput; an accepted entry must be in the context with
// as many values as were sent, booleans in lower case.
func FuzzContextEntries(f *testing.F) {
	for _, seed := range []string{
		"ContextEntries.member.1.ContextKeyName=aws%3ACurrentTime&ContextEntries.member.1.ContextKeyType=date&ContextEntries.member.1.ContextKeyValues.member.1=2019-04-25T11%3A00%3A00Z",
		"ContextEntries.member.1.ContextKeyName=aws%3ASourceIp&ContextEntries.member.1.ContextKeyType=ipList&ContextEntries.member.1.ContextKeyValues.member.1=203.0.113.7&ContextEntries.member.1.ContextKeyValues.member.2=2001%3Adb8%3A%3A1",
		"ContextEntries.member.1.ContextKeyName=aws%3ASecureTransport&ContextEntries.member.1.ContextKeyType=boolean&ContextEntries.member.1.ContextKeyValues.member.1=TRUE",
		"ContextEntries.member.1.ContextKeyName=s3%3Amax-keys&ContextEntries.member.1.ContextKeyType=numericList&ContextEntries.member.1.ContextKeyValues.member.1=1e3&ContextEntries.member.1.ContextKeyValues.member.2=NaN",
		"ContextEntries.member.1.ContextKeyName=test%3ABlob&ContextEntries.member.1.ContextKeyType=binary&ContextEntries.member.1.ContextKeyValues.member.1=aGVsbG8%3D",
		"ContextEntries.member.1.ContextKeyName=aws%3ATagKeys&ContextEntries.member.1.ContextKeyType=stringList&ContextEntries.member.1.ContextKeyValues=",
		"ContextEntries.member.2.ContextKeyName=aws%3Ausername&ContextEntries.member.2.ContextKeyType=string&ContextEntries.member.2.ContextKeyValues.member.1=a&ContextEntries.member.1.ContextKeyName=AWS%3AUSERNAME&ContextEntries.member.1.ContextKeyType=string&ContextEntries.member.1.ContextKeyValues.member.1=b",
		"ContextEntries.member.01.ContextKeyName=x",
		"ContextEntries.member.1.ContextKeyValues.member.1=%ZZ",
		"ContextEntries=",
	} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, body string) {
		p, err := awsapi.ParseQuery("", []byte(body))
		if err != nil {
			return
		}
		var d simulatorQuery
		entries := d.contextEntries(p, "ContextEntries")
		if d.err != nil {
			return
		}
		ctx, err := simulator.Context(entries)
		if err != nil {
			if !strings.Contains(err.Error(), "InvalidInput") {
				t.Fatalf("typing error %v, want InvalidInput", err)
			}
			return
		}
		for _, e := range entries {
			got, ok := ctx.Get(e.ContextKeyName)
			if !ok || len(got) != len(e.ContextKeyValues) {
				t.Fatalf("entry %+v: context holds %q (present %v)", e, got, ok)
			}
			if strings.HasPrefix(e.ContextKeyType, "boolean") {
				for _, v := range got {
					if v != "true" && v != "false" {
						t.Fatalf("boolean value %q kept as sent", v)
					}
				}
			}
		}
	})
}
