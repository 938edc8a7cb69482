// The header as C++11: header_c99.c under another name, with C linkage for its check.
extern "C" int sis_header_cxx11_check(void);
#define HEADER_CHECK sis_header_cxx11_check
#include "header_c99.c"
