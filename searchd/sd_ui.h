/* motesokd: the small search page served at "/". */
#ifndef SD_UI_H
#define SD_UI_H

static const char sd_ui_html[] =
"<!doctype html>\n"
"<html lang=\"nb\"><head><meta charset=\"utf-8\">\n"
"<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
"<title>Møtesøk</title>\n"
"<style>\n"
"body{font:16px/1.5 system-ui,sans-serif;max-width:52rem;margin:2rem auto;padding:0 1rem;color:#222}\n"
"form{display:flex;gap:.5rem}input[type=search]{flex:1;font-size:1.1rem;padding:.4rem}\n"
"button{font-size:1rem}.hit{margin:1.2rem 0}.meta{color:#555;font-size:.9rem}\n"
"mark{background:#ffe58a}.err{color:#a00}small{color:#666}\n"
"</style></head><body>\n"
"<h1>Møtesøk</h1>\n"
"<form id=\"f\"><input type=\"search\" id=\"q\" placeholder=\"Søk i møtebøker, f.eks. legevakt\" autofocus>\n"
"<button>Søk</button></form>\n"
"<p><small>Ord, \"fraser\", OG/ELLER/IKKE, tittel:, vedtak:, organ:, sak:, dato:2017..2018</small></p>\n"
"<div id=\"out\"></div>\n"
"<script>\n"
"const esc=s=>String(s?\?'').replace(/[&<>\"']/g,c=>({'&':'&amp;','<':'&lt;','>':'&gt;','\"':'&quot;',\"'\":'&#39;'}[c]));\n"
"async function search(q){\n"
"  const out=document.getElementById('out');\n"
"  const r=await fetch('/api/v1/search?limit=20&q='+encodeURIComponent(q));\n"
"  const j=await r.json();\n"
"  if(!r.ok){out.innerHTML='<p class=err>'+esc(j.error&&j.error.message)+'</p>';return;}\n"
"  let h='<p>'+j.total+' treff ('+j.took_ms+' ms)</p>';\n"
"  for(const x of j.hits){\n"
"    const meta=[x.organ,x.date,x.case&&('sak '+x.case.number),x.page&&('side '+x.page)].filter(Boolean).map(esc).join(' · ');\n"
"    h+='<div class=hit><b>'+x.rank+'. '+esc(x.title||x.path)+'</b><div class=meta>'+meta+'</div>'\n"
"      +'<div>'+x.snippet+'</div><div class=meta>'+esc(x.path)+'</div></div>';\n"
"  }\n"
"  out.innerHTML=h;\n"
"}\n"
"document.getElementById('f').onsubmit=e=>{e.preventDefault();const q=document.getElementById('q').value;\n"
"  history.replaceState(null,'','?q='+encodeURIComponent(q));search(q);};\n"
"const q0=new URLSearchParams(location.search).get('q');\n"
"if(q0){document.getElementById('q').value=q0;search(q0);}\n"
"</script></body></html>\n";

#endif
