/* lockhold PATH SECONDS READY: take the lock dockercfg.exe takes on Windows
 * (an exclusive LockFileEx over the whole range of PATH, as Rust's
 * File::try_lock does), create the file READY, hold the lock for SECONDS,
 * and exit. ci/cross.sh uses it to show that a second process's lock is
 * honoured. */
#include <windows.h>
#include <stdio.h>
#include <stdlib.h>

int main(int argc, char **argv)
{
    HANDLE h, r;
    OVERLAPPED ov = {0};
    if (argc != 4) {
        fprintf(stderr, "usage: lockhold PATH SECONDS READY\n");
        return 2;
    }
    h = CreateFileA(argv[1], GENERIC_READ | GENERIC_WRITE,
                    FILE_SHARE_READ | FILE_SHARE_WRITE | FILE_SHARE_DELETE, NULL,
                    OPEN_ALWAYS, FILE_ATTRIBUTE_NORMAL, NULL);
    if (h == INVALID_HANDLE_VALUE) {
        fprintf(stderr, "lockhold: cannot open %s (%lu)\n", argv[1], GetLastError());
        return 1;
    }
    if (!LockFileEx(h, LOCKFILE_EXCLUSIVE_LOCK, 0, MAXDWORD, MAXDWORD, &ov)) {
        fprintf(stderr, "lockhold: cannot lock %s (%lu)\n", argv[1], GetLastError());
        return 1;
    }
    r = CreateFileA(argv[3], GENERIC_WRITE, 0, NULL, CREATE_ALWAYS, FILE_ATTRIBUTE_NORMAL, NULL);
    if (r == INVALID_HANDLE_VALUE) {
        fprintf(stderr, "lockhold: cannot create %s\n", argv[3]);
        return 1;
    }
    CloseHandle(r);
    Sleep((DWORD)atoi(argv[2]) * 1000);
    CloseHandle(h);
    return 0;
}
