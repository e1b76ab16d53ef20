/* TEST DOUBLE for one missing API, used only by the Wine test harness (tests/windows/).
 *
 * Rust's std on Windows draws randomness from ProcessPrng in bcryptprimitives.dll, which
 * Wine 8.0 does not export, so a Windows build of the CLI cannot start under Wine. This DLL
 * exports ProcessPrng and forwards it to RtlGenRandom (advapi32's SystemFunction036), which
 * Wine does implement. It is never shipped: real Windows has ProcessPrng since Windows 10.
 */
#include <windows.h>

BOOLEAN WINAPI SystemFunction036(PVOID buffer, ULONG length);

BOOL WINAPI ProcessPrng(PBYTE data, SIZE_T length) {
    while (length > 0) {
        ULONG chunk = length > 0x10000000 ? 0x10000000 : (ULONG)length;
        if (!SystemFunction036(data, chunk)) return FALSE;
        data += chunk;
        length -= chunk;
    }
    return TRUE;
}
