/* Test-only stand-in for Windows' bcryptprimitives.dll, for running
 * dockercfg.exe under wine 8.0, which lacks that DLL. Rust's standard library
 * (1.78 and later) imports ProcessPrng from it for HashMap seeds and the
 * like; here it is RtlGenRandom (advapi32's SystemFunction036), which wine
 * has. Never shipped: ci/cross.sh builds it beside the exe for the smoke
 * test only. */
#include <windows.h>

BOOLEAN WINAPI SystemFunction036(PVOID buffer, ULONG length);

__declspec(dllexport) BOOL WINAPI ProcessPrng(PBYTE data, SIZE_T len)
{
    while (len > 0) {
        ULONG n = len > 0x40000000 ? 0x40000000 : (ULONG)len;
        if (!SystemFunction036(data, n))
            return FALSE;
        data += n;
        len -= n;
    }
    return TRUE;
}
