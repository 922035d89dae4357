package sqlstore

import (
	"fmt"
	"io/fs"
	"path"
	"sort"
	"strconv"
	"strings"
)

// Migration is one numbered schema change.
type Migration struct {
	Version int
	Name    string // file name, such as 0001_init.sql
	SQL     string
}

// LoadMigrations reads the files NNNN_description.sql in dir of fsys and
// returns them ordered by version. Versions must run 1, 2, 3... without
// gaps or repeats, so that a database's highest applied version says
// exactly which migrations it has.
func LoadMigrations(fsys fs.FS, dir string) ([]Migration, error) {
	entries, err := fs.ReadDir(fsys, dir)
	if err != nil {
		return nil, fmt.Errorf("store: read migrations: %w", err)
	}
	var migs []Migration
	for _, e := range entries {
		if e.IsDir() || !strings.HasSuffix(e.Name(), ".sql") {
			continue
		}
		m, err := loadMigration(fsys, dir, e.Name())
		if err != nil {
			return nil, err
		}
		migs = append(migs, m)
	}
	sort.Slice(migs, func(i, j int) bool { return migs[i].Version < migs[j].Version })
	for i, m := range migs {
		if m.Version != i+1 {
			return nil, fmt.Errorf("store: migration %s: want version %d", m.Name, i+1)
		}
	}
	return migs, nil
}

func loadMigration(fsys fs.FS, dir, name string) (Migration, error) {
	num, _, ok := strings.Cut(name, "_")
	v, err := strconv.Atoi(num)
	if !ok || err != nil || v <= 0 {
		return Migration{}, fmt.Errorf("store: migration file %s is not named NNNN_description.sql", name)
	}
	body, err := fs.ReadFile(fsys, path.Join(dir, name))
	if err != nil {
		return Migration{}, fmt.Errorf("store: read migration %s: %w", name, err)
	}
	return Migration{Version: v, Name: name, SQL: string(body)}, nil
}

// Pending returns the migrations after version applied, or an error when
// the database is newer than the migrations this binary knows.
func Pending(migs []Migration, applied int) ([]Migration, error) {
	if applied > len(migs) {
		return nil, fmt.Errorf("store: database schema version %d is newer than this binary's %d", applied, len(migs))
	}
	return migs[applied:], nil
}
