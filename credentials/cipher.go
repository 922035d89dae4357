// Package credentials keeps access keys: their secrets encrypted at rest
// under a master key, and the principal each key authenticates.
package credentials

import (
	"crypto/aes"
	"crypto/cipher"
	"crypto/rand"
	"encoding/base64"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
)

// MasterKeySize is the size of the master key in bytes (AES-256).
const MasterKeySize = 32

// Cipher encrypts secrets with AES-GCM under the master key.
type Cipher struct {
	aead cipher.AEAD
}

// NewCipher returns a Cipher for a 32-byte master key.
func NewCipher(key []byte) (*Cipher, error) {
	if len(key) != MasterKeySize {
		return nil, fmt.Errorf("credentials: master key must be %d bytes, not %d", MasterKeySize, len(key))
	}
	block, err := aes.NewCipher(key)
	if err != nil {
		return nil, fmt.Errorf("credentials: %w", err)
	}
	aead, err := cipher.NewGCM(block)
	if err != nil {
		return nil, fmt.Errorf("credentials: %w", err)
	}
	return &Cipher{aead: aead}, nil
}

// Seal encrypts plaintext, binding it to context (such as the access key
// id) so that a ciphertext cannot be moved to another record.
func (c *Cipher) Seal(plaintext, context []byte) []byte {
	nonce := make([]byte, c.aead.NonceSize())
	if _, err := rand.Read(nonce); err != nil {
		panic("credentials: no randomness: " + err.Error())
	}
	return c.aead.Seal(nonce, nonce, plaintext, context)
}

// Open decrypts a ciphertext made by Seal with the same context.
func (c *Cipher) Open(ciphertext, context []byte) ([]byte, error) {
	n := c.aead.NonceSize()
	if len(ciphertext) < n {
		return nil, errors.New("credentials: ciphertext too short")
	}
	plain, err := c.aead.Open(nil, ciphertext[:n], ciphertext[n:], context)
	if err != nil {
		return nil, errors.New("credentials: secret cannot be decrypted with this master key")
	}
	return plain, nil
}

// LoadMasterKey returns the master key: from env when it is set (base64
// of 32 bytes), else from the file, which is created with mode 0600 and a
// new random key when it does not exist. It refuses a key file that
// others can read.
func LoadMasterKey(env, file string) ([]byte, error) {
	if env != "" {
		key, err := base64.StdEncoding.DecodeString(strings.TrimSpace(env))
		if err != nil || len(key) != MasterKeySize {
			return nil, fmt.Errorf("credentials: the master key must be base64 of %d bytes", MasterKeySize)
		}
		return key, nil
	}
	f, err := os.Open(file)
	if errors.Is(err, os.ErrNotExist) {
		return createMasterKey(file)
	}
	if err != nil {
		return nil, fmt.Errorf("credentials: read master key: %w", err)
	}
	defer f.Close()
	// Check the mode of the file that is read (not of the path, which
	// could change in between), and before reading it.
	fi, err := f.Stat()
	if err != nil {
		return nil, fmt.Errorf("credentials: read master key: %w", err)
	}
	if fi.Mode().Perm()&0o077 != 0 {
		return nil, fmt.Errorf("credentials: master key file %s is accessible to others (mode %v); chmod 600 it", file, fi.Mode().Perm())
	}
	data, err := io.ReadAll(io.LimitReader(f, 1024))
	if err != nil {
		return nil, fmt.Errorf("credentials: read master key: %w", err)
	}
	key, err := base64.StdEncoding.DecodeString(strings.TrimSpace(string(data)))
	if err != nil || len(key) != MasterKeySize {
		return nil, fmt.Errorf("credentials: master key file %s does not hold base64 of %d bytes", file, MasterKeySize)
	}
	return key, nil
}

func createMasterKey(file string) ([]byte, error) {
	key := make([]byte, MasterKeySize)
	if _, err := rand.Read(key); err != nil {
		return nil, fmt.Errorf("credentials: %w", err)
	}
	if err := os.MkdirAll(filepath.Dir(file), 0o700); err != nil {
		return nil, fmt.Errorf("credentials: %w", err)
	}
	f, err := os.OpenFile(file, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return nil, fmt.Errorf("credentials: create master key: %w", err)
	}
	_, err = f.WriteString(base64.StdEncoding.EncodeToString(key) + "\n")
	if err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		// A partly written key file would make every later start fail.
		os.Remove(file)
		return nil, fmt.Errorf("credentials: write master key: %w", err)
	}
	return key, nil
}
