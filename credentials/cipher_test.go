package credentials

import (
	"bytes"
	"crypto/rand"
	"encoding/base64"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func newKey(t *testing.T) []byte {
	t.Helper()
	key := make([]byte, MasterKeySize)
	if _, err := rand.Read(key); err != nil {
		t.Fatal(err)
	}
	return key
}

func newCipher(t *testing.T) *Cipher {
	t.Helper()
	c, err := NewCipher(newKey(t))
	if err != nil {
		t.Fatalf("NewCipher: %v", err)
	}
	return c
}

func TestNewCipherKeySize(t *testing.T) {
	tests := []struct {
		name    string
		size    int
		wantErr bool
	}{
		{name: "32 bytes", size: 32},
		{name: "empty", size: 0, wantErr: true},
		{name: "16 bytes (AES-128 is not accepted)", size: 16, wantErr: true},
		{name: "33 bytes", size: 33, wantErr: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := NewCipher(make([]byte, tt.size))
			if (err != nil) != tt.wantErr {
				t.Fatalf("NewCipher(%d bytes) error = %v, want error %v", tt.size, err, tt.wantErr)
			}
		})
	}
}

func TestSealOpen(t *testing.T) {
	c := newCipher(t)
	other := newCipher(t)
	secret := []byte("wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY")
	sealed := c.Seal(secret, []byte("AKIAIOSFODNN7EXAMPLE"))

	tamper := func(i int) []byte {
		b := bytes.Clone(sealed)
		b[i] ^= 0x01
		return b
	}
	tests := []struct {
		name       string
		cipher     *Cipher
		ciphertext []byte
		context    string
		wantErr    bool
	}{
		{name: "round trip", cipher: c, ciphertext: sealed, context: "AKIAIOSFODNN7EXAMPLE"},
		{name: "another context", cipher: c, ciphertext: sealed, context: "AKIAOTHERKEY7EXAMPLE", wantErr: true},
		{name: "empty context", cipher: c, ciphertext: sealed, context: "", wantErr: true},
		{name: "another master key", cipher: other, ciphertext: sealed, context: "AKIAIOSFODNN7EXAMPLE", wantErr: true},
		{name: "tampered nonce", cipher: c, ciphertext: tamper(0), context: "AKIAIOSFODNN7EXAMPLE", wantErr: true},
		{name: "tampered body", cipher: c, ciphertext: tamper(15), context: "AKIAIOSFODNN7EXAMPLE", wantErr: true},
		{name: "tampered tag", cipher: c, ciphertext: tamper(len(sealed) - 1), context: "AKIAIOSFODNN7EXAMPLE", wantErr: true},
		{name: "truncated", cipher: c, ciphertext: sealed[:len(sealed)-1], context: "AKIAIOSFODNN7EXAMPLE", wantErr: true},
		{name: "shorter than a nonce", cipher: c, ciphertext: sealed[:5], context: "AKIAIOSFODNN7EXAMPLE", wantErr: true},
		{name: "empty", cipher: c, ciphertext: nil, context: "AKIAIOSFODNN7EXAMPLE", wantErr: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := tt.cipher.Open(tt.ciphertext, []byte(tt.context))
			if tt.wantErr {
				if err == nil {
					t.Fatalf("Open succeeded with %q, want an error", got)
				}
				return
			}
			if err != nil {
				t.Fatalf("Open: %v", err)
			}
			if !bytes.Equal(got, secret) {
				t.Fatalf("Open = %q, want %q", got, secret)
			}
		})
	}
}

func TestSealIsRandomized(t *testing.T) {
	c := newCipher(t)
	a := c.Seal([]byte("secret"), []byte("ctx"))
	b := c.Seal([]byte("secret"), []byte("ctx"))
	if bytes.Equal(a, b) {
		t.Fatal("two Seals of the same plaintext are equal; the nonce is not random")
	}
	if bytes.Contains(a, []byte("secret")) {
		t.Fatal("the ciphertext contains the plaintext")
	}
}

func TestLoadMasterKeyEnv(t *testing.T) {
	key := newKey(t)
	enc := base64.StdEncoding.EncodeToString(key)
	tests := []struct {
		name    string
		env     string
		wantErr bool
	}{
		{name: "base64 of 32 bytes", env: enc},
		{name: "surrounding whitespace", env: " " + enc + "\n"},
		{name: "not base64", env: "not base64 at all!", wantErr: true},
		{name: "16 bytes", env: base64.StdEncoding.EncodeToString(key[:16]), wantErr: true},
		{name: "raw url encoding", env: base64.RawURLEncoding.EncodeToString(append(bytes.Clone(key), 0xff, 0xfe)), wantErr: true},
		{name: "only spaces", env: "   ", wantErr: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			// The file must not be looked at when env is set.
			file := filepath.Join(t.TempDir(), "master.key")
			got, err := LoadMasterKey(tt.env, file)
			if tt.wantErr {
				if err == nil {
					t.Fatal("LoadMasterKey accepted a bad key")
				}
			} else {
				if err != nil {
					t.Fatalf("LoadMasterKey: %v", err)
				}
				if !bytes.Equal(got, key) {
					t.Fatalf("LoadMasterKey = %x, want %x", got, key)
				}
			}
			if _, err := os.Stat(file); !os.IsNotExist(err) {
				t.Fatalf("LoadMasterKey with env set touched the key file: stat err = %v", err)
			}
		})
	}
}

func TestLoadMasterKeyFileCreated(t *testing.T) {
	file := filepath.Join(t.TempDir(), "sub", "dir", "master.key")
	key, err := LoadMasterKey("", file)
	if err != nil {
		t.Fatalf("LoadMasterKey: %v", err)
	}
	if len(key) != MasterKeySize {
		t.Fatalf("key has %d bytes, want %d", len(key), MasterKeySize)
	}
	fi, err := os.Stat(file)
	if err != nil {
		t.Fatalf("key file not created: %v", err)
	}
	if perm := fi.Mode().Perm(); perm != 0o600 {
		t.Fatalf("key file mode = %v, want 0600", perm)
	}
	dir, err := os.Stat(filepath.Dir(file))
	if err != nil {
		t.Fatal(err)
	}
	if perm := dir.Mode().Perm(); perm&0o077 != 0 {
		t.Errorf("key directory mode = %v, want no access for others", perm)
	}
	again, err := LoadMasterKey("", file)
	if err != nil {
		t.Fatalf("second LoadMasterKey: %v", err)
	}
	if !bytes.Equal(again, key) {
		t.Fatal("second LoadMasterKey returned another key")
	}
	// The key in the file is usable: a secret sealed under the first
	// key opens under the second.
	c1, _ := NewCipher(key)
	c2, _ := NewCipher(again)
	if _, err := c2.Open(c1.Seal([]byte("s"), []byte("id")), []byte("id")); err != nil {
		t.Fatalf("secret sealed before a restart does not open after it: %v", err)
	}
}

func TestLoadMasterKeyFile(t *testing.T) {
	key := newKey(t)
	enc := base64.StdEncoding.EncodeToString(key)
	tests := []struct {
		name    string
		content string
		mode    os.FileMode
		want    []byte
		wantErr string
	}{
		{name: "0600 with newline", content: enc + "\n", mode: 0o600, want: key},
		{name: "0400", content: enc, mode: 0o400, want: key},
		{name: "world-readable", content: enc, mode: 0o644, wantErr: "accessible to others"},
		{name: "group-readable", content: enc, mode: 0o640, wantErr: "accessible to others"},
		{name: "world-writable", content: enc, mode: 0o602, wantErr: "accessible to others"},
		{name: "not base64", content: "this is not a key\n", mode: 0o600, wantErr: "does not hold"},
		{name: "too short", content: base64.StdEncoding.EncodeToString(key[:31]), mode: 0o600, wantErr: "does not hold"},
		{name: "empty", content: "", mode: 0o600, wantErr: "does not hold"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			file := filepath.Join(t.TempDir(), "master.key")
			if err := os.WriteFile(file, []byte(tt.content), 0o600); err != nil {
				t.Fatal(err)
			}
			if err := os.Chmod(file, tt.mode); err != nil {
				t.Fatal(err)
			}
			got, err := LoadMasterKey("", file)
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("LoadMasterKey error = %v, want one containing %q", err, tt.wantErr)
				}
				if got != nil {
					t.Fatalf("LoadMasterKey returned a key with its error")
				}
				return
			}
			if err != nil {
				t.Fatalf("LoadMasterKey: %v", err)
			}
			if !bytes.Equal(got, tt.want) {
				t.Fatalf("LoadMasterKey = %x, want %x", got, tt.want)
			}
		})
	}
}

func TestLoadMasterKeyUnreadable(t *testing.T) {
	// A directory where the file should be is neither created over nor
	// read as a key.
	file := filepath.Join(t.TempDir(), "master.key")
	if err := os.Mkdir(file, 0o700); err != nil {
		t.Fatal(err)
	}
	if _, err := LoadMasterKey("", file); err == nil {
		t.Fatal("LoadMasterKey accepted a directory as the key file")
	}
}

func TestLoadMasterKeyCreateFails(t *testing.T) {
	if os.Geteuid() == 0 {
		t.Skip("root ignores directory permissions")
	}
	dir := filepath.Join(t.TempDir(), "ro")
	if err := os.Mkdir(dir, 0o500); err != nil {
		t.Fatal(err)
	}
	file := filepath.Join(dir, "master.key")
	if _, err := LoadMasterKey("", file); err == nil {
		t.Fatal("LoadMasterKey succeeded in a read-only directory")
	}
	if _, err := os.Stat(file); !os.IsNotExist(err) {
		t.Fatalf("a key file was left behind: %v", err)
	}
}
