"""The site's stylesheet and script, written once into assets/: no web font, no CDN, no request
that leaves the folder. Fonts are the reader's own CJK fonts, named with fallbacks for
Windows, macOS, Linux and the domestic systems (统信, 麒麟) offices use.

The script does two things: search (the index is a script, assets/search-index.js, since a
page opened from file:// may not fetch a file beside it) and nothing else; every page reads
and prints without it.
"""

from __future__ import annotations

SANS = (
    '"Noto Sans CJK SC", "Source Han Sans SC", "思源黑体", "PingFang SC", "Microsoft YaHei", "微软雅黑", '
    '"WenQuanYi Micro Hei", "文泉驿微米黑", "SimHei", "黑体", sans-serif'
)
SERIF = (
    '"FangSong", "仿宋", "FangSong_GB2312", "仿宋_GB2312", "STFangsong", "Noto Serif CJK SC", '
    '"Source Han Serif SC", "SimSun", "宋体", serif'
)

CSS = """\
:root{--red:#c00000;--red-bg:#ffc7ce;--yellow:#8a6d00;--yellow-bg:#ffeb9c;--green:#1e6b30;--green-bg:#c6efce;
--grey:#555;--grey-bg:#e4e4e4;--ink:#1a1a1a;--rule:#bbb;--link:#0645ad;--band:#f3f3f3}
*{box-sizing:border-box}
html{font-size:16px}
body{font-family:{sans};color:var(--ink);margin:0;line-height:1.7;background:#fff}
main{max-width:78rem;margin:0 auto;padding:0 1rem 3rem}
a{color:var(--link)}
a:focus,button:focus,input:focus{outline:3px solid #ffbf47;outline-offset:1px}
.skip{position:absolute;left:-999px}.skip:focus{left:1rem;top:.5rem;background:#fff;padding:.3rem;z-index:2}
.hidden{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0)}
header.top{display:flex;flex-wrap:wrap;gap:.5rem 1rem;align-items:center;justify-content:space-between;
 padding:.5rem 1rem;border-bottom:3px solid var(--red);background:#fff}
.crumbs{font-size:.95rem}
form.search{display:flex;gap:.3rem}
form.search input{font:inherit;padding:.2rem .4rem;min-width:12rem;border:1px solid #888}
form.search button,.search-page button{font:inherit;padding:.2rem .7rem}
nav.sections ul{list-style:none;margin:0;padding:.3rem 1rem;display:flex;flex-wrap:wrap;gap:.2rem 1.2rem;
 background:var(--band);border-bottom:1px solid var(--rule)}
h1{font-size:1.6rem;line-height:1.4;margin:1.2rem 0 .4rem}
h2{font-size:1.3rem;margin:2rem 0 .6rem;border-left:5px solid var(--red);padding-left:.5rem}
h3{font-size:1.1rem;margin:1.4rem 0 .4rem}
p.lead{margin:.2rem 0 1rem;color:#333}
.figures{display:grid;grid-template-columns:repeat(auto-fill,minmax(9.5rem,1fr));gap:.6rem;margin:1rem 0}
.figure{border:1px solid var(--rule);padding:.5rem .7rem;background:#fff}
.figure .n{display:block;font-size:1.7rem;font-weight:bold;line-height:1.2}
.figure .w{font-size:.9rem;color:#333}
.scroll{overflow-x:auto;margin:.5rem 0 1rem;-webkit-overflow-scrolling:touch}
table{border-collapse:collapse;width:100%;font-size:.92rem}
caption{text-align:left;font-weight:bold;padding:.3rem 0}
th,td{border:1px solid var(--rule);padding:.3rem .45rem;vertical-align:top;text-align:left}
thead th{background:#e9e9e9;position:sticky;top:0}
td.num,th.num{text-align:right;white-space:nowrap}
td:not(.num){min-width:5.5em}
tr.lagging td{background:#fff6f6}
.light{white-space:nowrap;padding:0 .3rem;border-radius:3px;font-weight:bold}
.light-red{color:var(--red);background:var(--red-bg)}.light-yellow{color:var(--yellow);background:var(--yellow-bg)}
.light-green{color:var(--green);background:var(--green-bg)}.light-grey{color:var(--grey);background:var(--grey-bg)}
.late{margin-left:.3rem;padding:0 .3rem;border:1px solid var(--red);color:var(--red);font-size:.85em;white-space:nowrap}
dl.facts{display:grid;grid-template-columns:max-content 1fr;gap:.2rem 1rem;margin:.6rem 0}
dl.facts dt{font-weight:bold;color:#333}dl.facts dd{margin:0}
.note{white-space:normal}
.story{list-style:none;padding:0;margin:0}
.story>li{border-left:3px solid var(--rule);padding:.2rem 0 .8rem .9rem;margin-left:.3rem;position:relative}
.story>li::before{content:"";position:absolute;left:-.45rem;top:.55rem;width:.6rem;height:.6rem;background:#fff;
 border:2px solid #666;border-radius:50%}
.story .when{font-weight:bold}.story .meta{color:#444;font-size:.88rem}
.story ul{margin:.2rem 0 0;padding-left:1.2rem}
.ok{color:var(--green);font-weight:bold}.bad{color:var(--red);font-weight:bold}
.problem{border-left:5px solid var(--red);background:#fff6f6;padding:.4rem .8rem;margin:.5rem 0}
.lagging-unit{border:1px solid var(--rule);padding:.4rem .8rem;margin:.6rem 0}
.lagging-unit h3{margin:.2rem 0}
.chart{max-width:46rem;margin:.5rem 0}.chart svg{width:100%;height:auto;display:block}
.matrix svg{min-width:30rem}
.legend{font-size:.85rem;color:#333}
.pager{display:flex;justify-content:space-between;gap:1rem;margin:1rem 0;flex-wrap:wrap}
.document{border:1px solid var(--rule);padding:.6rem 1rem;background:#fffdf5}
.document p{text-indent:2em;margin:.3rem 0;font-family:{serif}}
.results li{margin:.3rem 0}
ul.others{margin:.2rem 0;padding-left:1.1rem;font-size:.9em}
.on-paper{display:none}
.from{font-size:.85rem;color:#444}
.kind{font-size:.8rem;border:1px solid #888;padding:0 .25rem;margin-right:.3rem;color:#333}
code,.sha{font-family:"Noto Sans Mono CJK SC","Sarasa Mono SC",Consolas,"Courier New",monospace;font-size:.88em}
footer.colophon{margin-top:2rem;font-size:.85rem;color:#444;border-top:1px solid var(--rule);padding-top:.5rem}
@media (max-width:40rem){
 html{font-size:15px}main{padding:0 .6rem 2rem}
 .opt{display:none}
 h1{font-size:1.35rem}
 dl.facts{grid-template-columns:1fr}dl.facts dt{margin-top:.3rem}
 form.search input{min-width:0;width:9rem}
 th,td{padding:.25rem .3rem}
 .chart{overflow-x:auto}.chart svg{min-width:40rem}
 table.stack thead{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0)}
 table.stack,table.stack tbody,table.stack tr,table.stack td{display:block}
 table.stack tr{border:1px solid var(--rule);margin:0 0 .6rem;padding:.3rem .5rem}
 table.stack td,table.stack td.num{border:0;padding:.1rem 0;min-width:0;text-align:left;white-space:normal}
 table.stack td[data-label]::before{content:attr(data-label);font-weight:bold;color:#333}
 table.stack td.opt{display:none}
}
@page{size:A4 portrait;margin:1.5cm 1.2cm}
@page wide{size:A3 landscape;margin:1.2cm}
@media print{
 html{font-size:10.5pt}body{font-family:{serif}}
 header.top form,nav.sections,.skip{display:none}
 header.top{border-bottom:2px solid #000}
 main{max-width:none;padding:0}
 a{color:inherit;text-decoration:none}
 .scroll{overflow:visible}
 thead{display:table-header-group}thead th{position:static}
 tr,.figure,.lagging-unit,.story>li{break-inside:avoid}
 h2,h3{break-after:avoid}
 body.paper-a3{page:wide}
 .light{border:1px solid #000}
 details{display:none}.on-paper{display:block;margin:.2rem 0;padding-left:1.1rem;font-size:.9em}
 .opt{display:table-cell}
}
""".replace("{sans}", SANS).replace("{serif}", SERIF)

# Search: letters match titles and names, or their pinyin initials (fgw finds 发改委; every
# reading of a character counts, as in duban's own query language). The index gives each
# entry its text folded (lower case, no spaces) and each character's set of initials.
JS = """\
(function(){
"use strict";
function fold(s){return (s||"").toLowerCase().replace(/\\s+/g,"");}
function byInitials(sets,letters){
  if(!letters||!/^[a-z]+$/.test(letters))return false;
  var n=letters.length;
  for(var i=0;i+n<=sets.length;i++){
    var ok=true;
    for(var j=0;j<n;j++){if(sets[i+j].indexOf(letters.charAt(j))<0){ok=false;break;}}
    if(ok)return true;
  }
  return false;
}
function matches(entry,words){
  for(var w=0;w<words.length;w++){
    var word=words[w];
    if(entry.f.indexOf(word)>=0)continue;
    var hit=false;
    for(var k=0;k<entry.p.length&&!hit;k++){hit=byInitials(entry.p[k].split("|"),word);}
    if(!hit)return false;
  }
  return true;
}
function run(){
  var box=document.getElementById("search-box"),list=document.getElementById("search-results"),
      count=document.getElementById("search-count");
  if(!box||!list)return;
  var index=window.DUBAN_SEARCH||{entries:[],words:{}};
  var root=document.body.getAttribute("data-root")||"";
  function show(){
    var words=fold(box.value).split(/[,，、]+/).filter(function(w){return w;});
    while(list.firstChild)list.removeChild(list.firstChild);
    if(!words.length){count.textContent="";return;}
    var found=0;
    for(var i=0;i<index.entries.length&&found<200;i++){
      var e=index.entries[i];
      if(!matches(e,words))continue;
      found++;
      var li=document.createElement("li"),kind=document.createElement("span"),a=document.createElement("a");
      kind.className="kind";kind.textContent=index.words[e.k]||e.k;
      a.href=root+e.u;a.textContent=e.t;
      li.appendChild(kind);li.appendChild(a);
      if(e.s){var s=document.createElement("span");s.textContent=" "+e.s;li.appendChild(s);}
      list.appendChild(li);
    }
    count.textContent=(index.words.found||"{n}").replace("{n}",found);
  }
  var q=/[?&]q=([^&]*)/.exec(window.location.search);
  if(q){try{box.value=decodeURIComponent(q[1].replace(/\\+/g," "));}catch(err){box.value=q[1];}}
  box.addEventListener("input",show);
  show();
}
if(document.readyState==="loading"){document.addEventListener("DOMContentLoaded",run);}else{run();}
})();
"""
