package evaldoc

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"io"
)

// MaxInput bounds the input Run reads, in bytes.
const MaxInput = 256 << 20

// Run reads request documents from r and writes one JSON result per line
// to w, in input order. The input is a single document (pretty-printed or
// not), a JSON array of documents, or JSON Lines. It returns the number of
// documents that could not be evaluated; err reports only I/O failures.
func Run(r io.Reader, w io.Writer) (failed int, err error) {
	input, err := io.ReadAll(io.LimitReader(r, MaxInput+1))
	if err != nil {
		return 0, fmt.Errorf("read request documents: %w", err)
	}
	if len(input) > MaxInput {
		return 0, fmt.Errorf("request documents exceed %d bytes", MaxInput)
	}
	out := bufio.NewWriter(w)
	enc := json.NewEncoder(out)
	enc.SetEscapeHTML(false)
	for _, doc := range Split(input) {
		var line any = Evaluate(doc)
		if res := line.(Result); res.Error != "" {
			failed++
			line = struct {
				Error string `json:"error"`
			}{res.Error}
		}
		if err := enc.Encode(line); err != nil {
			return failed, err
		}
	}
	return failed, out.Flush()
}

// Split divides input into request documents: the elements of a JSON
// array, the input itself when it is one JSON value, or else its non-blank
// lines.
func Split(input []byte) [][]byte {
	trimmed := bytes.TrimSpace(input)
	if len(trimmed) == 0 {
		return nil
	}
	if json.Valid(trimmed) {
		if trimmed[0] == '[' {
			var elems []json.RawMessage
			if err := json.Unmarshal(trimmed, &elems); err == nil {
				docs := make([][]byte, len(elems))
				for i, e := range elems {
					docs[i] = e
				}
				return docs
			}
		}
		return [][]byte{trimmed}
	}
	var docs [][]byte
	for _, line := range bytes.Split(trimmed, []byte("\n")) {
		if line = bytes.TrimSpace(line); len(line) > 0 {
			docs = append(docs, line)
		}
	}
	return docs
}
