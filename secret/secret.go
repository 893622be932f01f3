// Package secret protects personal data at rest: AES-256-GCM encryption, a keyed hash
// (HMAC-SHA-256) to find a record by an ID number or phone without storing it in clear,
// and the key file that holds both keys.
package secret

import (
	"crypto/aes"
	"crypto/cipher"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
)

// Keys are the data-encryption keys: one current key that seals, older keys that still
// open what they sealed (for rotation), and the hash key. They can be reloaded from their
// file while in use, so that a key is rotated without stopping the server.
type Keys struct {
	set atomic.Pointer[keyset]
}

type keyset struct {
	current string // key id
	aeads   map[string]cipher.AEAD
	hashKey []byte
}

// Load reads a key file; when it does not exist and create is true, a new one is made
// (mode 0600). The file holds lines "hash <hex>" and "key <id> <hex>"; the last key
// line is the current one.
func Load(path string, create bool) (*Keys, error) {
	b, err := os.ReadFile(path)
	if errors.Is(err, os.ErrNotExist) && create {
		if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
			return nil, err
		}
		content := "hash " + randomHex() + "\nkey k1 " + randomHex() + "\n"
		if err := os.WriteFile(path, []byte(content), 0o600); err != nil {
			return nil, fmt.Errorf("write key file: %w", err)
		}
		b = []byte(content)
	} else if err != nil {
		return nil, fmt.Errorf("read key file: %w", err)
	} else if err := tighten(path); err != nil {
		return nil, err
	}
	return Parse(string(b))
}

// tighten makes a key file readable by its owner only (0600), as it is when fugong makes
// it: a copy restored or edited by hand often comes back group- or world-readable.
func tighten(path string) error {
	st, err := os.Stat(path)
	if err != nil {
		return err
	}
	if st.Mode().Perm()&0o077 != 0 {
		if err := os.Chmod(path, 0o600); err != nil {
			return fmt.Errorf("key file %s is readable by others and cannot be made 0600: %w", path, err)
		}
	}
	return nil
}

// Install copies the key file src to dst (mode 0600), replacing dst atomically.
func Install(src, dst string) error {
	b, err := os.ReadFile(src)
	if err != nil {
		return fmt.Errorf("read key file: %w", err)
	}
	if _, err := parse(string(b)); err != nil {
		return err
	}
	if err := os.MkdirAll(filepath.Dir(dst), 0o700); err != nil {
		return err
	}
	tmp := dst + ".tmp"
	if err := os.WriteFile(tmp, b, 0o600); err != nil {
		return err
	}
	return os.Rename(tmp, dst)
}

// Parse reads the key file format.
func Parse(s string) (*Keys, error) {
	ks, err := parse(s)
	if err != nil {
		return nil, err
	}
	k := &Keys{}
	k.set.Store(ks)
	return k, nil
}

// Reload reads the key file again; the hash key must not change (the lookups depend on it).
func (k *Keys) Reload(path string) error {
	b, err := os.ReadFile(path)
	if err != nil {
		return err
	}
	ks, err := parse(string(b))
	if err != nil {
		return err
	}
	if !hmac.Equal(ks.hashKey, k.set.Load().hashKey) {
		return errors.New("the hash key changed: every lookup hash would break")
	}
	k.set.Store(ks)
	return nil
}

// Rotate appends a new key to the key file, which becomes the sealing key once the file is
// read again; the older keys stay to open what they sealed. It returns the new key's id.
func Rotate(path string) (string, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return "", err
	}
	ks, err := parse(string(b))
	if err != nil {
		return "", err
	}
	id := fmt.Sprintf("k%d", len(ks.aeads)+1)
	for ks.aeads[id] != nil {
		id += "b"
	}
	content := strings.TrimRight(string(b), "\n") + "\nkey " + id + " " + randomHex() + "\n"
	tmp := path + ".tmp"
	if err := os.WriteFile(tmp, []byte(content), 0o600); err != nil {
		return "", err
	}
	return id, os.Rename(tmp, path)
}

func parse(s string) (*keyset, error) {
	k := &keyset{aeads: map[string]cipher.AEAD{}}
	for n, line := range strings.Split(s, "\n") {
		f := strings.Fields(line)
		if len(f) == 0 || strings.HasPrefix(f[0], "#") {
			continue
		}
		switch {
		case f[0] == "hash" && len(f) == 2:
			h, err := hex.DecodeString(f[1])
			if err != nil || len(h) != 32 {
				return nil, fmt.Errorf("key file line %d: bad hash key", n+1)
			}
			k.hashKey = h
		case f[0] == "key" && len(f) == 3:
			raw, err := hex.DecodeString(f[2])
			if err != nil || len(raw) != 32 || strings.ContainsAny(f[1], ":") {
				return nil, fmt.Errorf("key file line %d: bad key", n+1)
			}
			block, _ := aes.NewCipher(raw)
			aead, _ := cipher.NewGCM(block)
			k.aeads[f[1]] = aead
			k.current = f[1]
		default:
			return nil, fmt.Errorf("key file line %d: unknown line", n+1)
		}
	}
	if k.hashKey == nil || k.current == "" {
		return nil, errors.New("key file needs a hash line and a key line")
	}
	return k, nil
}

func randomHex() string {
	b := make([]byte, 32)
	rand.Read(b)
	return hex.EncodeToString(b)
}

// Seal encrypts plaintext with the current key as "id:base64(nonce|ciphertext)".
// The empty string stays empty.
func (k *Keys) Seal(plaintext string) string {
	if plaintext == "" {
		return ""
	}
	ks := k.set.Load()
	aead := ks.aeads[ks.current]
	nonce := make([]byte, aead.NonceSize())
	rand.Read(nonce)
	ct := aead.Seal(nonce, nonce, []byte(plaintext), []byte(ks.current))
	return ks.current + ":" + base64.RawStdEncoding.EncodeToString(ct)
}

// Open decrypts what Seal made, with whichever key sealed it.
func (k *Keys) Open(sealed string) (string, error) {
	if sealed == "" {
		return "", nil
	}
	id, b64, ok := strings.Cut(sealed, ":")
	aead := k.set.Load().aeads[id]
	if !ok || aead == nil {
		return "", errors.New("sealed with an unknown key")
	}
	ct, err := base64.RawStdEncoding.DecodeString(b64)
	if err != nil || len(ct) < aead.NonceSize() {
		return "", errors.New("malformed sealed value")
	}
	pt, err := aead.Open(nil, ct[:aead.NonceSize()], ct[aead.NonceSize():], []byte(id))
	if err != nil {
		return "", errors.New("sealed value does not open")
	}
	return string(pt), nil
}

// Current is the id of the sealing key; a value sealed with another key needs resealing
// after a rotation.
func (k *Keys) Current() string { return k.set.Load().current }

// Hash is the keyed hash used to find a record by a personal value.
func (k *Keys) Hash(value string) string {
	m := hmac.New(sha256.New, k.set.Load().hashKey)
	m.Write([]byte(value))
	return hex.EncodeToString(m.Sum(nil))
}
