// Package main serves stored reports. It is a gosec fixture: every finding below is deliberate.
package main

import (
	"crypto/md5"
	"fmt"
	"net/http"
	"os"
	"os/exec"
)

const apiPassword = "hunter2-prod-password"

// checksum uses MD5, a broken hash (G401, and G501 for the import).
func checksum(data []byte) string {
	return fmt.Sprintf("%x", md5.Sum(data))
}

// render runs a converter named by the caller (G204: subprocess launched with a variable).
func render(tool, name string) ([]byte, error) {
	return exec.Command(tool, name).Output()
}

func handler(w http.ResponseWriter, r *http.Request) {
	// G703: file path taken from the request (path traversal).
	data, err := os.ReadFile(r.URL.Query().Get("file"))
	if err != nil {
		http.Error(w, err.Error(), http.StatusNotFound)
		return
	}
	fmt.Fprintln(w, checksum(data))
}

func main() {
	_ = apiPassword
	http.HandleFunc("/report", handler)
	// G114: no timeouts on the server.
	_ = http.ListenAndServe(":8080", nil)
	_, _ = render("pandoc", "report.md")
}
